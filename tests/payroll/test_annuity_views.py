"""Annuity pages: who sees which account, statements, the target report, the
returns import (all or nothing) and leaving."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
import tablib
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.imports import import_dataset
from core.models import Role, User
from payroll.annuity.resources import AnnuityReturnResource
from payroll.annuity.selectors import memberships_active_on
from payroll.cycles.services import (
    payroll_cycle_approve,
    payroll_cycle_lock,
    payroll_cycle_start,
)
from payroll.models import (
    AnnuityAccount,
    AnnuityEntry,
    AnnuityMembership,
    AnnuityPlan,
    AnnuityReturn,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(django_capture_on_commit_callbacks):
    """The demo city with one locked month in which the 'secretary' login's
    own worker contributes."""
    call_command(
        "seed_demo", "--communities", "4", "--workers-per-community", "5", "--seed", "3"
    )
    maker = UserFactory(role=Role.FINANCE)
    checker = UserFactory(role=Role.FINANCE)
    secretary = User.objects.get(username="secretary")
    assert secretary.worker_id is not None
    membership = AnnuityMembership.objects.get(worker_id=secretary.worker_id)
    if membership.started_on > date(2026, 12, 1):
        # the demo depends on today's date; the 2026 scale needs a 2026 month
        membership = AnnuityMembership.objects.order_by("started_on").first()
        User.objects.filter(pk=secretary.pk).update(worker=membership.worker)
        secretary.refresh_from_db()
    start = max(membership.started_on, date(2026, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        cycle = payroll_cycle_start(year=start.year, month=start.month, actor=maker)
    cycle.refresh_from_db()
    payroll_cycle_approve(cycle=cycle, actor=checker)
    payroll_cycle_lock(cycle=cycle, actor=checker)
    own = AnnuityAccount.objects.get(worker_id=secretary.worker_id)
    other = AnnuityAccount.objects.exclude(pk=own.pk).exclude(worker=None).first()
    return {
        "secretary": secretary,
        "own": own,
        "other": other,
        "finance": maker,
        "year": start.year,
    }


def test_staff_see_the_plan_accounts_and_a_statement(client, ledger):
    client.force_login(ledger["finance"])

    assert client.get(reverse("payroll:annuity-home")).status_code == 200
    listing = client.get(reverse("payroll:annuity-accounts"))
    assert ledger["own"].worker.full_name in listing.content.decode()
    page = client.get(reverse("payroll:annuity-account", args=[ledger["own"].pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "annuity-ledger" in text
    assert "vested-employer" in text


def test_secretary_sees_her_own_account_and_no_one_elses(client, ledger):
    client.force_login(ledger["secretary"])

    home = client.get(reverse("payroll:annuity-home"))
    assert home.url == reverse("payroll:annuity-account", args=[ledger["own"].pk])
    assert (
        client.get(
            reverse("payroll:annuity-account", args=[ledger["own"].pk])
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse("payroll:annuity-account", args=[ledger["other"].pk])
        ).status_code
        == 404
    )
    assert client.get(reverse("payroll:annuity-target")).status_code == 403
    listing = client.get(reverse("payroll:annuity-accounts"))
    assert ledger["other"].worker.full_name not in listing.content.decode()


def test_other_roles_see_no_account(client, ledger):
    client.force_login(UserFactory(role=Role.STREET_OFFICER))

    response = client.get(reverse("payroll:annuity-account", args=[ledger["own"].pk]))

    assert response.status_code == 404


def test_target_report_by_district_as_xlsx(client, ledger):
    client.force_login(ledger["finance"])
    url = reverse("payroll:annuity-target")

    page = client.get(url, {"year": ledger["year"]})
    response = client.get(url, {"year": ledger["year"], "format": "xlsx"})

    assert page.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][4] == "人均年缴费基数"
    total = rows[-1]
    members = AnnuityAccount.objects.exclude(worker=None).count()
    assert total[2] == members
    assert Decimal(str(total[7])) == Decimal("15000")


def test_statement_pdf(client, ledger):
    client.force_login(ledger["secretary"])

    response = client.get(
        reverse("payroll:annuity-account", args=[ledger["own"].pk]), {"format": "pdf"}
    )

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_returns_import_is_all_or_nothing_and_credits_on_save(ledger):
    plan = AnnuityPlan.objects.get()
    bad = tablib.Dataset(headers=["年度", "收益率", "收益金额"])
    bad.append([ledger["year"], "0.035", ""])
    bad.append([ledger["year"] + 1, "0.02", "100.00"])  # both: refused

    report = import_dataset(AnnuityReturnResource(plan=plan), bad, dry_run=False)

    assert report.has_errors
    assert not AnnuityReturn.objects.exists()
    assert not AnnuityEntry.objects.filter(kind="return").exists()

    good = tablib.Dataset(headers=["年度", "收益率", "收益金额"])
    good.append([ledger["year"], "0.035", ""])
    report = import_dataset(AnnuityReturnResource(plan=plan), good, dry_run=False)

    assert report.saved
    credited = AnnuityReturn.objects.get().credited
    assert credited > 0
    assert sum(e.amount for e in AnnuityEntry.objects.filter(kind="return")) == credited
    again = import_dataset(AnnuityReturnResource(plan=plan), good, dry_run=False)
    assert again.has_errors
    assert "不能重复导入" in again.rows[0].errors[0]


def test_finance_records_leaving_from_the_account_page(client, ledger):
    client.force_login(ledger["finance"])
    membership = AnnuityMembership.objects.get(worker=ledger["own"].worker)

    response = client.post(
        reverse("payroll:annuity-leave", args=[membership.pk]),
        {"left_on": "2026-12-31", "reason": "retirement", "note": "到龄退休"},
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.leaving_reason == "retirement"
    assert membership.changes.last().reason == "到龄退休"
    assert not AnnuityEntry.objects.filter(kind="forfeit").exists()


def test_worker_page_shows_the_annuity_panel(client, ledger):
    client.force_login(User.objects.get(username="city"))

    response = client.get(reverse("core:worker-detail", args=[ledger["own"].worker_id]))

    assert "annuity-panel" in response.content.decode()


def test_secretary_without_an_account_yet_sees_her_membership(client):
    call_command(
        "seed_demo", "--communities", "2", "--workers-per-community", "4", "--seed", "3"
    )
    client.force_login(User.objects.get(username="secretary"))

    response = client.get(reverse("payroll:annuity-home"))

    assert response.status_code == 200
    assert "首个含年金缴费的工资周期锁定后" in response.content.decode()


def test_admin_refuses_a_version_that_breaks_the_caps_or_the_vesting_limit(client):
    call_command(
        "seed_demo", "--communities", "2", "--workers-per-community", "4", "--seed", "3"
    )
    client.force_login(User.objects.get(username="admin"))
    plan = AnnuityPlan.objects.get()
    url = reverse("admin:payroll_annuityplanversion_add")
    data = {
        "plan": plan.pk,
        "effective_on": "2027-01-01",
        "employer_rate": "0.08",
        "member_rate": "0.05",
        "employer_cap_rate": "0.08",
        "total_cap_rate": "0.12",
        "max_credit_ratio": "5",
        "base_rule": "previous_year_average",
        "deductible_rate": "0.04",
        "base_cap_multiple": "3",
        "immediate_vesting_events": "[]",
        "target_yearly_base": "15000",
        "vesting_steps-TOTAL_FORMS": "1",
        "vesting_steps-INITIAL_FORMS": "0",
        "vesting_steps-0-years": "9",
        "vesting_steps-0-fraction": "1",
    }

    response = client.post(url, data)
    assert response.status_code == 200
    assert "上限" in response.content.decode()

    data["member_rate"] = "0.04"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "方案条款无效" in response.content.decode()

    data["vesting_steps-0-years"] = "8"
    response = client.post(url, data)
    assert response.status_code == 302
    assert plan.versions.count() == 2


def test_finance_reverses_an_entry_with_a_reason_and_a_secretary_cannot(client, ledger):
    entry = AnnuityEntry.objects.filter(account=ledger["own"]).first()
    url = reverse("payroll:annuity-entry-reverse", args=[entry.pk])

    client.force_login(ledger["secretary"])
    assert client.post(url, {"reason": "x"}).status_code == 403

    client.force_login(ledger["finance"])
    client.post(url, {"reason": ""})
    assert not AnnuityEntry.objects.filter(reverses=entry).exists()
    client.post(url, {"reason": "基数核定错误"})
    reversal = AnnuityEntry.objects.get(reverses=entry)
    assert reversal.amount == -entry.amount
    assert reversal.note == "基数核定错误"
    page = client.get(reverse("payroll:annuity-account", args=[ledger["own"].pk]))
    assert page.content.decode().count("冲正原因") == 1  # only the other entry


def test_home_shows_the_annuity_card_to_staff(client):
    call_command(
        "seed_demo", "--communities", "2", "--workers-per-community", "4", "--seed", "3"
    )
    client.force_login(User.objects.get(username="finance"))

    response = client.get(reverse("core:home"))

    plan = AnnuityPlan.objects.get()
    members = memberships_active_on(plan, timezone.localdate()).count()
    assert f"当前成员 {members} 人" in response.content.decode()


def test_contribution_entries_read_in_the_readers_language(client, ledger):
    """The ledger stores its note in Chinese; pages say it in the reader's
    language from the entry's kind and period."""
    from django.conf import settings

    client.force_login(ledger["finance"])
    url = reverse("payroll:annuity-account", args=[ledger["own"].pk])
    chinese = client.get(url).content.decode()
    assert "工资缴费" in chinese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert "Payroll contribution, " in english
    assert "工资缴费" not in english

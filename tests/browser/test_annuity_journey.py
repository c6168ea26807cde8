"""Issue 6's journey in a real browser: staff open a secretary's annuity
account; the secretary sees her own account and no one else's."""

from datetime import date

import pytest
from django.core.management import call_command

from core.models import Role, User
from payroll.cycles.services import (
    payroll_cycle_approve,
    payroll_cycle_lock,
    payroll_cycle_start,
)
from payroll.models import AnnuityAccount, AnnuityMembership
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def locked_month():
    call_command(
        "seed_demo", "--communities", "6", "--workers-per-community", "5", "--seed", "4"
    )
    secretary = User.objects.get(username="secretary")
    membership = AnnuityMembership.objects.get(worker_id=secretary.worker_id)
    if membership.started_on > date(2026, 12, 1):
        # the demo depends on today's date; the 2026 scale needs a 2026 month
        membership = AnnuityMembership.objects.order_by("started_on").first()
        User.objects.filter(pk=secretary.pk).update(worker=membership.worker)
        secretary.refresh_from_db()
    start = max(membership.started_on, date(2026, 3, 1))
    maker, checker = User.objects.filter(role=Role.FINANCE).order_by("username")[:2]
    cycle = payroll_cycle_start(year=start.year, month=start.month, actor=maker)
    cycle.refresh_from_db()
    payroll_cycle_approve(cycle=cycle, actor=checker)
    payroll_cycle_lock(cycle=cycle, actor=checker)
    own = AnnuityAccount.objects.get(worker_id=secretary.worker_id)
    other = AnnuityAccount.objects.exclude(pk=own.pk).exclude(worker=None).first()
    return own, other


def test_staff_open_a_secretarys_account_and_she_sees_only_her_own(page, locked_month):
    own, other = locked_month

    # city staff find the secretary in the plan's accounts and open the ledger
    login(page, "city", "Demo@2026")
    page.goto(f"{page.base_url}/payroll/annuity/")
    page.click("text=个人账户")
    page.click(f"text={own.worker.full_name}")
    ledger = page.locator("#annuity-ledger")
    assert "缴费" in ledger.inner_text()
    assert ledger.locator("tbody tr").count() == 2  # employer and member parts
    assert page.locator("#vested-employer").inner_text().strip()

    # the secretary's menu leads to her own account
    page.context.clear_cookies()
    login(page, "secretary", "Demo@2026")
    page.click("text=我的企业年金")
    assert own.worker.full_name in page.locator("h1").inner_text()
    assert page.locator("#annuity-ledger tbody tr").count() == 2

    # another member's account does not exist for her
    response = page.goto(f"{page.base_url}/payroll/annuity/accounts/{other.pk}/")
    assert response.status == 404

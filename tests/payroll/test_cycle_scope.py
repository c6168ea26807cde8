"""Who sees which part of a payroll cycle (decided in core.selectors)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from core.models import Role, User
from payroll.cycles.services import payroll_cycle_approve, payroll_cycle_start
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(django_capture_on_commit_callbacks):
    call_command(
        "seed_demo",
        "--communities",
        "30",
        "--workers-per-community",
        "4",
        "--seed",
        "3",
    )
    with django_capture_on_commit_callbacks(execute=True):
        cycle = payroll_cycle_start(
            year=2026, month=3, actor=User.objects.get(username="finance")
        )
    cycle.refresh_from_db()
    assert cycle.district is None
    assert cycle.status == "computed", (cycle.status, cycle.error)
    return cycle


def _district_part(cycle, district):
    return cycle.payslips.filter(community__street__district=district)


def test_district_staff_open_the_city_cycle_and_see_their_part(client, cycle):
    staff = User.objects.get(username="district")
    mine = _district_part(cycle, staff.district)
    others = cycle.payslips.exclude(pk__in=mine)
    assert mine.exists()
    assert others.exists()
    client.force_login(staff)

    listing = client.get("/payroll/cycles/").content.decode()
    detail = client.get(f"/payroll/cycles/{cycle.pk}/?by=community")

    assert f'href="/payroll/cycles/{cycle.pk}/"' in listing
    assert detail.status_code == 200
    context = detail.context
    assert context["whole"] is False
    assert context["totals"]["payslips"] == mine.count()
    assert Decimal(context["totals"]["net"]) == sum(p.net for p in mine)
    shown = {p.pk for p in context["page"].object_list}
    assert shown <= set(mine.values_list("pk", flat=True))
    assert context["page"].paginator.count == mine.count()
    assert sum(g["payslips"] for g in context["groups"]) == mine.count()
    assert f"{cycle.totals['net']}" not in detail.content.decode()
    own = mine.first()
    assert client.get(f"/payroll/payslips/{own.pk}/").status_code == 200
    assert client.get(f"/payroll/payslips/{others.first().pk}/").status_code == 404


def test_district_exports_hold_only_the_districts_part(client, cycle):
    staff = User.objects.get(username="district")
    mine = _district_part(cycle, staff.district)
    client.force_login(staff)

    register = client.get(reverse("payroll:cycle-register", args=[cycle.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(register.content)).active
    districts = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}

    assert register.status_code == 200
    assert districts - {"合计", None} == {staff.district.name}
    assert sheet.max_row - 1 == mine.count() + 1  # header, rows, total


def test_district_finance_may_not_download_the_city_bank_file(client, cycle):
    payroll_cycle_approve(cycle=cycle, actor=User.objects.get(username="finance2"))
    district_finance = UserFactory(
        role=Role.FINANCE, district=User.objects.get(username="district").district
    )
    client.force_login(district_finance)

    response = client.get(reverse("payroll:cycle-bank-file", args=[cycle.pk]))

    assert response.status_code == 403
    assert "全市工资周期的银行代发文件由市级财务人员生成。" in response.content.decode()


def test_a_secretary_sees_her_communitys_totals_not_the_payslips(client, cycle):
    secretary = User.objects.get(username="secretary")
    hers = cycle.payslips.filter(community=secretary.community)
    client.force_login(secretary)

    detail = client.get(f"/payroll/cycles/{cycle.pk}/")
    register = client.get(reverse("payroll:cycle-register", args=[cycle.pk]))
    colleague = client.get(
        f"/payroll/payslips/{hers.exclude(worker=secretary.worker).first().pk}/"
    )

    assert detail.status_code == 200
    assert detail.context["totals"]["payslips"] == hers.count()
    # Only her own payslip (the demo links her login to her worker record).
    assert {p.worker_id for p in detail.context["page"].object_list} <= {
        secretary.worker_id
    }
    assert register.status_code == 403
    assert colleague.status_code == 403
    assert "不能查看其他工作人员的工资单" in colleague.content.decode()
    assert 'class="top"' in colleague.content.decode()


def test_finance_sees_the_whole_city_cycle(client, cycle):
    client.force_login(User.objects.get(username="finance"))

    detail = client.get(f"/payroll/cycles/{cycle.pk}/")

    assert detail.context["whole"] is True
    assert detail.context["totals"]["payslips"] == cycle.payslips.count()


def test_the_bank_file_follows_the_layout_in_force(client, cycle):
    from payroll.models import BankFileLayout

    payroll_cycle_approve(cycle=cycle, actor=User.objects.get(username="finance2"))
    BankFileLayout.objects.create(
        effective_on=date(2026, 1, 1),
        name="某银行",
        columns="name,id_number,account,amount",
        control_row="top",
    )
    client.force_login(User.objects.get(username="finance"))

    response = client.get(reverse("payroll:cycle-bank-file", args=[cycle.pk]))

    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0][0] == f"合计：{len(rows) - 2} 笔"
    assert rows[1] == ("姓名", "身份证号", "账号", "金额")
    assert Decimal(str(rows[0][3])) == sum(Decimal(str(r[3])) for r in rows[2:])


def test_the_cycle_page_draws_this_month_against_the_year_before(client, cycle):
    client.force_login(User.objects.get(username="finance"))

    response = client.get(f"/payroll/cycles/{cycle.pk}/")

    charts = response.context["charts"]
    assert len(charts["months"]) == 4
    assert len(charts["months"][0].columns) == 13
    assert charts["months"][0].columns[-1].value == Decimal(cycle.totals["gross"])
    assert charts["districts"].bars
    assert response.content.decode().count("<svg") >= 5


def test_a_street_officer_reads_his_streets_part_of_a_district_cycle(
    client, cycle, django_capture_on_commit_callbacks
):
    officer = User.objects.get(username="street")
    district = officer.street.district
    with django_capture_on_commit_callbacks(execute=True):
        own = payroll_cycle_start(
            year=2026,
            month=4,
            district=district,
            actor=User.objects.get(username="finance"),
        )
    own.refresh_from_db()
    street_part = own.payslips.filter(community__street=officer.street)
    assert street_part.exists()
    assert street_part.count() < own.payslips.count()
    client.force_login(officer)

    listing = client.get("/payroll/cycles/")
    detail = client.get(f"/payroll/cycles/{own.pk}/")

    shown = {c.pk: c.shown_totals for c in listing.context["page"].object_list}
    assert shown[own.pk]["payslips"] == street_part.count()
    assert Decimal(shown[own.pk]["net"]) == sum(p.net for p in street_part)
    assert detail.context["whole"] is False
    assert detail.context["totals"]["payslips"] == street_part.count()

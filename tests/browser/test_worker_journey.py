"""Issue 15's journey on a phone (390 × 844): a worker's first login, her
payslip and why a line is what it is, the year's statement, a declaration
that staff approve, and the next month's payslip with the deduction."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from core.models import Community, User
from payroll.cycles import services as cycles
from payroll.models import DeductionClaim, Payslip
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def pay(year: int, month: int) -> None:
    """Finance computes the month, a second officer approves and locks it."""
    maker = User.objects.get(username="finance")
    checker = User.objects.get(username="finance2")
    cycle = cycles.payroll_cycle_start(year=year, month=month, actor=maker)
    cycle.refresh_from_db()
    cycles.payroll_cycle_approve(cycle=cycle, actor=checker)
    cycles.payroll_cycle_lock(cycle=cycle, actor=checker)


@pytest.fixture
def phone(chromium_browser, live_server):
    context = chromium_browser.new_context(
        locale="zh-CN",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_worker_reads_her_pay_declares_a_deduction_and_sees_it_applied(phone):
    call_command(
        "seed_demo", "--communities", "4", "--workers-per-community", "5", "--seed", "3"
    )
    pay(2026, 1)
    page = phone
    community = Community.objects.order_by("code").first()
    me = (
        Payslip.objects.filter(year=2026, month=1, community=community)
        .exclude(worker__user__isnull=False)
        .order_by("worker_id")
        .first()
        .worker
    )

    # district staff issue the community's logins and read the one-time passwords
    login(page, "district", "Demo@2026")
    page.goto(f"{page.base_url}/logins/")
    page.fill("#id_community", community.code)
    page.click("form.card button[type=submit]")
    row = page.locator("#issued tbody tr", has_text=me.full_name)
    username = row.locator("td").nth(2).inner_text()
    password = row.locator(".otp").inner_text()
    assert User.objects.get(username=username).worker == me

    # her first login: the password must be changed before anything else
    page.context.clear_cookies()
    login(page, username, password)
    assert page.url.endswith("/accounts/password/")
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", "Hers-2026-pay")
    page.fill("#id_new_password2", "Hers-2026-pay")
    page.click("main button[type=submit]")
    page.wait_for_url("**/me/")
    assert me.full_name in page.content()
    assert fits_the_phone(page)

    # last month's payslip, and why a line is what it is
    january = Payslip.objects.get(worker=me, year=2026, month=1)
    page.click("ul.month-list a.month >> nth=0")
    assert f"{january.net:,.2f}" in page.locator(".summary .net").inner_text()
    basic = page.locator("details.line", has_text="基本工资").first
    assert not basic.locator(".why").is_visible()
    basic.locator("summary").click()
    assert "70%" in basic.locator(".why").inner_text()
    assert fits_the_phone(page)

    # the year's statement
    page.click("nav.own >> text=年度汇总")
    assert "2026" in page.locator("h1").inner_text()
    assert f"{january.gross:,.2f}" in page.locator("table.statement").inner_text()
    assert fits_the_phone(page)

    # a declaration: one child's education, in full
    page.click("nav.own >> text=个税申报")
    page.select_option("#id_standard", label="子女教育（每个子女） · 2,000.00 元/月")
    page.fill("#id_children", "1")
    page.fill("#id_name", "小明")
    page.click("#claim-form button[type=submit]")
    assert "待审核" in page.locator("#my-claims").inner_text()
    assert fits_the_phone(page)
    claim = DeductionClaim.objects.get(worker=me)
    assert claim.monthly_amount == Decimal("2000.00")

    # payroll staff approve it
    page.context.clear_cookies()
    login(page, "finance", "Demo@2026")
    page.goto(f"{page.base_url}/payroll/declarations/")
    page.click(f"#claim-{claim.pk} button.approve")
    assert "已通过" in page.locator(".messages").inner_text()

    # the next month's payslip counts the deduction from January
    pay(2026, 2)
    page.context.clear_cookies()
    login(page, username, "Hers-2026-pay")
    page.click("ul.month-list a.month >> nth=0")
    assert "2026 年 2 月" in page.locator("h1").inner_text()
    tax = page.locator("details.line", has_text="个人所得税").first
    tax.locator("summary").click()
    assert "累计专项附加扣除 4,000.00" in tax.locator(".why").inner_text()
    assert fits_the_phone(page)

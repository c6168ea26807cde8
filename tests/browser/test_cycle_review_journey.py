"""Issue 9's review in a real browser: finance computes March, the second
user reads what changed since February, returns the cycle with a reason,
finance recomputes, and the second user approves."""

from datetime import date

import pytest
from django.core.management import call_command

from core import clock
from payroll.models import PayrollCycle
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def march():
    """The demo city with its past (January and February locked), on 10 March;
    the live server runs on the same clock."""
    with clock.frozen(date(2026, 3, 10)):
        call_command(
            "seed_demo",
            "--communities",
            "3",
            "--workers-per-community",
            "5",
            "--seed",
            "4",
            "--history",
        )
        yield


def test_review_return_with_a_reason_recompute_then_approve(page, march):
    # finance computes March
    login(page, "finance", "Demo@2026")
    page.goto(f"{page.base_url}/payroll/cycles/")
    page.fill("#id_year", "2026")
    page.fill("#id_month", "3")
    page.click("#start-cycle")
    page.wait_for_selector("#net-total")
    cycle = PayrollCycle.objects.get(year=2026, month=3)

    # the second user reads the review of changes since February
    page.context.clear_cookies()
    login(page, "finance2", "Demo@2026")
    page.goto(f"{page.base_url}/payroll/cycles/{cycle.pk}/")
    review = page.locator("#review")
    assert "2026-02" in review.inner_text()
    assert page.locator("#review-districts tbody tr").count() >= 1
    corrections = page.locator("#review-corrections").inner_text()
    assert "补发补扣" in corrections
    assert page.locator("#review-missing").count() == 1

    # ... and returns it with a reason
    page.fill("#return-reason", "请先核实三月补录的星级")
    page.click("#return")
    assert "已退回" in page.locator("#cycle-status").inner_text()
    assert page.locator("#approve").count() == 0

    # finance sees the reason and recomputes
    page.context.clear_cookies()
    login(page, "finance", "Demo@2026")
    page.goto(f"{page.base_url}/payroll/cycles/{cycle.pk}/")
    assert "请先核实三月补录的星级" in page.locator("#return-reason-shown").inner_text()
    page.get_by_role("button", name="重新计算").click()
    page.wait_for_selector("#net-total")
    assert "已计算待审核" in page.locator("#cycle-status").inner_text()

    # the second user approves after the recompute
    page.context.clear_cookies()
    login(page, "finance2", "Demo@2026")
    page.goto(f"{page.base_url}/payroll/cycles/{cycle.pk}/")
    page.click("#approve")
    assert "已审核" in page.locator("#cycle-status").inner_text()
    cycle.refresh_from_db()
    assert cycle.status == PayrollCycle.Status.APPROVED
    assert cycle.computed_by.username == "finance"
    assert cycle.approved_by.username == "finance2"
    assert cycle.return_reason == "请先核实三月补录的星级"

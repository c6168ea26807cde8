"""Issue 4's journey in a real browser: compute, approve, lock, bank file."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from payroll.models import PayrollCycle
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city():
    call_command(
        "seed_demo", "--communities", "6", "--workers-per-community", "5", "--seed", "4"
    )


def test_finance_computes_a_second_user_approves_and_locks_and_the_bank_file_adds_up(
    page, demo_city
):
    # finance computes the cycle and watches it finish
    login(page, "finance", "Demo@2026")
    page.goto(f"{page.base_url}/payroll/cycles/")
    page.fill("#id_year", "2026")
    page.fill("#id_month", "3")
    page.click("#start-cycle")
    page.wait_for_selector("#net-total")
    assert page.locator("#progress-bar").get_attribute("style").strip() == "width: 100%"
    assert "已计算待审核" in page.locator("#cycle-status").inner_text()
    assert page.locator("#approve").count() == 0  # the maker cannot approve
    cycle = PayrollCycle.objects.get()

    # a second finance officer approves and locks
    page.context.clear_cookies()
    login(page, "finance2", "Demo@2026")
    page.goto(f"{page.base_url}/payroll/cycles/{cycle.pk}/")
    page.click("#approve")
    page.click("#lock")
    assert "已锁定" in page.locator("#cycle-status").inner_text()

    # the bank file's control total equals the sum of net pay
    with page.expect_download() as download_info:
        page.click("#bank-file")
    workbook = openpyxl.load_workbook(
        io.BytesIO(download_info.value.path().read_bytes())
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    amounts = [Decimal(str(row[2])) for row in rows[1:-1]]
    cycle.refresh_from_db()
    assert Decimal(str(rows[-1][2])) == sum(amounts) == Decimal(cycle.totals["net"])
    assert cycle.status == "locked"


def test_the_progress_bar_moves_without_reloading(
    page, demo_city, monkeypatch, settings
):
    from core.models import User
    from payroll.cycles import services as cycles
    from payroll.cycles.store import cycle_chunk_compute

    # given: a cycle cut into chunks whose tasks have not run yet
    settings.PAYROLL_CHUNK_SIZE = 5
    monkeypatch.setattr(cycles, "_enqueue_pending", lambda cycle: None)
    cycle = cycles.payroll_cycle_start(
        year=2026, month=3, actor=User.objects.get(username="finance")
    )
    assert cycle.chunks_total >= 4
    login(page, "finance", "Demo@2026")
    page.goto(f"{page.base_url}/payroll/cycles/{cycle.pk}/")
    page.evaluate("window.__sameDocument = true")
    assert page.locator("#progress-text").inner_text() == f"0 / {cycle.chunks_total}"

    # when: the workers store half of the chunks
    half = cycle.chunks_total // 2
    for index in range(half):
        cycle_chunk_compute(cycle_id=cycle.pk, index=index)

    # then: the bar moves in the same page
    # (expect polls from Playwright's own world: the page's Content Security
    # Policy forbids evaluating strings as script)
    expect(page.locator("#progress-text")).to_have_text(
        f"{half} / {cycle.chunks_total}", timeout=15000
    )
    assert page.evaluate("window.__sameDocument") is True
    width = page.locator("#progress-bar").get_attribute("style")
    assert width.strip() == f"width: {int(half * 100 / cycle.chunks_total)}%;"

    # and when the rest is stored, the page shows the computed cycle
    for index in range(half, cycle.chunks_total):
        cycle_chunk_compute(cycle_id=cycle.pk, index=index)
    cycles.cycle_finish(cycle_id=cycle.pk)
    page.wait_for_selector("#net-total")
    assert "已计算待审核" in page.locator("#cycle-status").inner_text()

"""An expense over the approved amount, a budget change, then acceptance,
driven through the browser."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import Role
from funding import services
from funding.models import ProjectState
from funding.reference import reference_data_ensure_current
from tests.browser.conftest import login
from tests.factories import CommunityFactory, UserFactory
from tests.funding.factories import FundYearFactory, approved_project, services_bought

RECEIPT = b"%PDF-1.4\n% invoice 0042 for 9,000.00\n%%EOF\n"


def act(page, to_state):
    page.click(f"form.transition[data-to={to_state}] button")
    page.wait_for_load_state("networkidle")


def switch_user(page, username):
    page.context.clear_cookies()
    login(page, username)


def fill_expense(page, amount):
    page.click("#add-expense")
    page.fill("#id_payee", "无锡市惠民照明有限公司")
    page.fill("#id_paid_on", timezone.localdate().isoformat())
    page.fill("#id_amount", amount)
    page.fill("#id_description", "第二批感应灯具")
    page.select_option("#id_classification", label="公共设施维护")
    page.set_input_files(
        "#id_files",
        files=[
            {"name": "发票0042.pdf", "mimeType": "application/pdf", "buffer": RECEIPT}
        ],
    )
    page.click("#expense-form button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
def test_over_amount_refused_budget_change_approved_then_accepted(
    page, transactional_db
):
    # given: a project approved at 42,000 with 33,600 already spent
    reference_data_ensure_current()
    today = timezone.localdate()
    community = CommunityFactory(name="清扬社区")
    fund_year = FundYearFactory(community=community, year=today.year)
    secretary = UserFactory(username="sec", role=Role.SECRETARY, community=community)
    UserFactory(username="st", role=Role.STREET_OFFICER, street=community.street)
    project = approved_project(
        fund_year=fund_year,
        title="楼道照明更新",
        estimated_cost=Decimal("42000"),
        state=ProjectState.IN_PROGRESS,
        proposed_by=secretary,
    )
    services.expense_record(
        actor=secretary,
        project=project,
        payee="无锡市惠民照明有限公司",
        paid_on=today - timedelta(days=3),
        amount=Decimal("33600"),
        description="第一批感应灯具",
        classification=services_bought(),
        files=[SimpleUploadedFile("发票0041.pdf", b"%PDF-1.4\n% invoice 0041\n")],
        today=today,
    )
    project_url = f"{page.base_url}/funding/projects/{project.pk}/"

    # the secretary records 9,000 and is refused with the figures
    login(page, "sec")
    page.goto(project_url)
    fill_expense(page, "9000")
    form = page.inner_text("#expense-form")
    assert "批准金额 42,000.00 元" in form
    assert "已支出 33,600.00 元" in form
    assert "本笔 9,000.00 元" in form
    assert "还差 600.00 元" in form

    # she asks for a budget change after the council meeting
    page.goto(project_url)
    page.click("#request-budget-change")
    page.fill("#id_new_amount", "42600")
    page.fill("#id_reason", "灯具涨价，第二批需增加 600 元")
    page.fill("#id_held_on", today.isoformat())
    page.fill("#id_attendance", "19")
    page.fill("#id_minutes", "与会代表同意增加预算")
    page.select_option("#id_result", "passed")
    page.click("#budget-change-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "等待街道审批" in page.inner_text(".messages")

    # the street approves it
    switch_user(page, "st")
    page.goto(f"{page.base_url}/funding/")
    assert "楼道照明更新" in page.inner_text("#waiting-budget-changes")
    page.goto(project_url)
    page.click("#approve-change")
    page.wait_for_load_state("networkidle")
    assert "已批准" in page.inner_text(".messages")
    assert page.inner_text("#project-approved") == "42,600.00"
    assert page.locator("#budget-versions tbody tr").count() == 2

    # the secretary records the expense and reports the spending complete
    switch_user(page, "sec")
    page.goto(project_url)
    fill_expense(page, "9000")
    assert "支出已登记" in page.inner_text(".messages")
    assert page.inner_text("#project-spent") == "42,600.00"
    act(page, "reported")
    assert page.inner_text("#project-state") == "支出已报齐，待验收"

    # the street sees budget against spending line by line, then accepts
    switch_user(page, "st")
    page.goto(project_url)
    table = page.inner_text("#acceptance")
    assert "33,600.00" in table
    assert "42,600.00" in table
    assert page.locator("#acceptance tbody tr").count() == 3
    act(page, "accepted")
    assert page.inner_text("#project-state") == "已验收"

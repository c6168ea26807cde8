"""A project from proposal to public page, driven through the browser."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Role
from funding.models import Project, ProjectState
from funding.reference import reference_data_ensure_current
from tests.browser.conftest import login
from tests.factories import CommunityFactory, UserFactory
from tests.funding.factories import FundYearFactory

PDF = b"%PDF-1.4\n% demo receipt\n%%EOF\n"


def act(page, to_state):
    page.click(f"form.transition[data-to={to_state}] button")
    page.wait_for_load_state("networkidle")


def switch_user(page, username):
    page.context.clear_cookies()
    login(page, username)


@pytest.mark.browser
def test_secretary_street_notice_expense_report_public(page, transactional_db):
    # given: a community with this year's fund, its secretary and street officer
    reference_data_ensure_current()
    today = timezone.localdate()
    community = CommunityFactory(name="清扬社区")
    FundYearFactory(community=community, year=today.year)
    UserFactory(username="sec", role=Role.SECRETARY, community=community)
    UserFactory(username="st", role=Role.STREET_OFFICER, street=community.street)

    # the secretary proposes a project
    login(page, "sec")
    page.goto(f"{page.base_url}/funding/")
    page.click("#propose")
    page.select_option("#id_category", label="公共服务")
    page.fill("#id_title", "楼道照明更新")
    page.fill("#id_purpose", "更换老旧小区楼道感应灯")
    page.fill("#id_beneficiaries", "老旧小区居民")
    page.fill("#id_expected_beneficiaries", "300")
    page.fill("#id_estimated_cost", "30000")
    page.click("#project-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#project-state") == "已提议"

    # and records the council meeting, then submits the result
    page.click("#record-meeting")
    page.fill("#id_held_on", today.isoformat())
    page.fill("#id_attendance", "21")
    page.fill("#id_minutes", "到会代表一致同意")
    page.select_option("#id_result", "passed")
    page.click("#meeting-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    act(page, "discussed")
    assert page.inner_text("#project-state") == "议事会已讨论"
    project_url = page.url

    # the street reviews it
    switch_user(page, "st")
    page.goto(project_url)
    act(page, "street_reviewed")
    assert page.inner_text("#project-state") == "街道已审核"

    # the secretary posts the notice
    switch_user(page, "sec")
    page.goto(project_url)
    act(page, "on_notice")
    assert page.inner_text("#project-state") == "公示中"

    # the street cannot approve during the notice...
    switch_user(page, "st")
    page.goto(project_url)
    act(page, "approved")
    assert "期满后才能批准" in page.inner_text(".messages")
    # ...records a resident's objection...
    page.fill("#id_received_on", today.isoformat())
    page.fill("#id_content", "施工时间请避开午休")
    page.click("text=登记异议")
    page.wait_for_load_state("networkidle")
    assert "施工时间请避开午休" in page.inner_text("main")
    # ...cannot approve while it is unanswered, even after the notice...
    Project.objects.filter(state=ProjectState.ON_NOTICE).update(
        notice_started_on=today - timedelta(days=10),
        notice_ends_on=today - timedelta(days=4),
    )
    page.goto(project_url)
    act(page, "approved")
    assert "条公示异议未答复" in page.inner_text(".messages")
    # ...answers it, and approves
    page.fill("textarea[name=answer]", "施工安排在上午九点至十一点")
    page.click("form[action*=answer] button")
    page.wait_for_load_state("networkidle")
    act(page, "approved")
    assert page.inner_text("#project-state") == "已批准"

    # the secretary reports an expense with a receipt
    switch_user(page, "sec")
    page.goto(project_url)
    page.click("#add-expense")
    page.fill("#id_payee", "无锡市惠民照明有限公司")
    page.fill("#id_paid_on", today.isoformat())
    page.fill("#id_amount", "12345.60")
    page.fill("#id_description", "感应灯具及安装")
    page.select_option("#id_classification", label="公共设施维护")
    page.set_input_files(
        "#id_files",
        files=[{"name": "发票.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.click("#expense-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "支出已登记" in page.inner_text(".messages")
    assert "12,345.60" in page.inner_text("#expenses")
    assert "发票.pdf" in page.inner_text("#expenses")

    # a wrong amount is corrected by a reversal and a new record, never an edit
    page.goto(project_url)
    page.fill("form.reverse-form input[name=reason]", "金额录错")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("form.reverse-form button")
    page.wait_for_load_state("networkidle")
    assert "-12,345.60" in page.inner_text("#expenses")
    assert "已冲销" in page.inner_text("#expenses")
    page.click("#add-expense")
    page.fill("#id_payee", "无锡市惠民照明有限公司")
    page.fill("#id_paid_on", today.isoformat())
    page.fill("#id_amount", "12354.60")
    page.fill("#id_description", "感应灯具及安装")
    page.select_option("#id_classification", label="公共设施维护")
    page.set_input_files(
        "#id_files",
        files=[{"name": "发票2.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.click("#expense-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#project-spent") == "12,354.60"

    # the work starts, the secretary reports the spending complete, the street
    # accepts it, the secretary publishes it
    act(page, "in_progress")
    act(page, "reported")
    switch_user(page, "st")
    page.goto(project_url)
    act(page, "accepted")
    switch_user(page, "sec")
    page.goto(project_url)
    act(page, "published")
    assert page.inner_text("#project-state") == "已公开"
    assert page.locator("#events tbody tr").count() == 9

    # then the report shows it
    page.goto(f"{page.base_url}/funding/report/")
    assert "12,354.60" in page.inner_text("#by-project")
    assert page.locator("svg rect").count() >= 2

    # and so does the public page, without login
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/funding/public/{community.code}/")
    text = page.inner_text("main")
    assert "楼道照明更新" in text
    assert "已公开" in text
    assert "12,354.60" in text
    assert "sec" not in text

    # and a reader who prefers English switches the language
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    page.wait_for_load_state("networkidle")
    text = page.inner_text("main")
    assert "Community service fund: public report" in text
    assert "Published" in text

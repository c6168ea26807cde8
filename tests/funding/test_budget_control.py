"""A project's money (issue: spending never leaves the approved amount, every
correction has a path, every expense is classified)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from core.models import Role
from core.money import to_money
from funding import selectors, services
from funding.models import (
    BudgetChange,
    CarryForward,
    CouncilMeeting,
    Expense,
    ExpenseClass,
    FundYear,
    Project,
    ProjectState,
)
from funding.pdf import statement_context
from tests.factories import CommunityFactory, UserFactory
from tests.funding.factories import approved_project, services_bought

pytestmark = pytest.mark.usefixtures("fund_reference")

D = Decimal
TODAY = date(2026, 5, 6)


def receipt(tag: str, name: str = "发票.pdf") -> SimpleUploadedFile:
    """A receipt whose content (and so its hash) is unique to ``tag``."""
    return SimpleUploadedFile(
        name, f"%PDF-1.4\n% {tag}\n".encode(), content_type="application/pdf"
    )


@pytest.fixture
def community():
    return CommunityFactory()


@pytest.fixture
def secretary(community):
    return UserFactory(role=Role.SECRETARY, community=community)


@pytest.fixture
def street(community):
    return UserFactory(role=Role.STREET_OFFICER, street=community.street)


@pytest.fixture
def district(community):
    return UserFactory(role=Role.DISTRICT_STAFF, district=community.street.district)


@pytest.fixture
def city():
    return UserFactory(role=Role.CITY_STAFF)


@pytest.fixture
def fund_year(community):
    from tests.funding.factories import FundYearFactory

    return FundYearFactory(community=community, year=2026)


@pytest.fixture
def project(fund_year):
    return approved_project(
        fund_year=fund_year, estimated_cost=D("42000"), state=ProjectState.IN_PROGRESS
    )


def spend(secretary, project, amount, *, tag=None, payee="无锡惠民照明公司", **kw):
    kw.setdefault("classification", services_bought())
    kw.setdefault("paid_on", date(2026, 5, 5))
    kw.setdefault("description", "楼道感应灯")
    return services.expense_record(
        actor=secretary,
        project=project,
        payee=payee,
        amount=D(amount),
        files=[receipt(tag or f"{payee}-{amount}-{kw['paid_on']}")],
        today=TODAY,
        **kw,
    )


def propose_change(secretary, project, new_amount, reason="灯具涨价，需增加预算"):
    return services.budget_change_propose(
        actor=secretary,
        project=project,
        new_amount=D(new_amount),
        reason=reason,
        held_on=date(2026, 5, 5),
        attendance=19,
        minutes="与会代表同意增加预算",
        result=CouncilMeeting.Result.PASSED,
        today=TODAY,
    )


def step(actor, project, to_state, comment=""):
    return services.project_transition(
        actor=actor, project=project, to_state=to_state, today=TODAY, comment=comment
    )


# 1. Spending never exceeds the approved amount ---------------------------------


def test_expense_above_the_approved_amount_is_refused_with_the_figures(
    secretary, project
):
    spend(secretary, project, "33600")
    with pytest.raises(ValidationError) as exc:
        spend(secretary, project, "9000")
    [message] = exc.value.message_dict["amount"]
    assert "批准金额 42,000.00 元" in message
    assert "已支出 33,600.00 元" in message
    assert "本笔 9,000.00 元" in message
    assert "还差 600.00 元" in message
    assert selectors.project_spent(project) == D("33600.00")
    # the remaining 8,400 exactly fits
    spend(secretary, project, "8400")
    assert selectors.project_spent(project) == D("42000.00")


def test_a_budget_change_approved_by_the_street_then_allows_the_expense(
    secretary, street, project, fund_year
):
    spend(secretary, project, "33600")
    change = propose_change(secretary, project, "42600")
    assert (change.previous_amount, change.new_amount) == (
        D("42000"),
        to_money(D("42600")),
    )
    assert change.meeting.attendance == 19
    with pytest.raises(ValidationError):  # not yet approved
        spend(secretary, project, "9000")
    with pytest.raises(PermissionDenied):  # the secretary never approves
        services.budget_change_approve(actor=secretary, change=change, today=TODAY)

    services.budget_change_approve(actor=street, change=change, today=TODAY)

    project.refresh_from_db()
    assert project.reserved == D("42600.00")
    spend(secretary, project, "9000")
    assert selectors.project_spent(project) == D("42600.00")
    figures = selectors.fund_year_figures(fund_year)
    assert (figures.committed, figures.spent, figures.available) == (
        D("0.00"),
        D("42600.00"),
        D("157400.00"),
    )
    versions = selectors.budget_versions(project)
    assert [(v.number, v.amount) for v in versions] == [
        (1, D("42000.00")),
        (2, D("42600.00")),
    ]
    assert versions[1].reason == "灯具涨价，需增加预算"


def test_budget_change_above_the_threshold_also_needs_the_district(
    secretary, street, district, project
):
    change = propose_change(secretary, project, "60000")
    assert change.needs_district
    change = services.budget_change_approve(actor=street, change=change, today=TODAY)
    assert change.status == BudgetChange.Status.STREET_APPROVED
    project.refresh_from_db()
    assert project.reserved == D("42000.00")
    with pytest.raises(PermissionDenied):
        services.budget_change_approve(actor=street, change=change, today=TODAY)
    services.budget_change_approve(actor=district, change=change, today=TODAY)
    project.refresh_from_db()
    assert project.reserved == D("60000.00")


def test_budget_change_must_fit_what_the_fund_year_has_available(
    secretary, street, project, fund_year
):
    # 200,000 − 42,000 for this project − 155,000 for another = 3,000 left
    approved_project(fund_year=fund_year, estimated_cost=D("155000"))
    change = propose_change(secretary, project, "45001")
    with pytest.raises(ValidationError) as exc:
        services.budget_change_approve(actor=street, change=change, today=TODAY)
    assert "增加 3,001.00 元" in exc.value.messages[0]
    assert "可用资金 3,000.00 元" in exc.value.messages[0]
    services.budget_change_refuse(actor=street, change=change, comment="资金不足")
    approved = services.budget_change_approve(
        actor=street, change=propose_change(secretary, project, "45000"), today=TODAY
    )
    assert approved.status == BudgetChange.Status.APPROVED


def test_budget_change_needs_the_council_a_reason_and_not_below_spending(
    secretary, project
):
    spend(secretary, project, "30000")
    with pytest.raises(ValidationError) as exc:
        services.budget_change_propose(
            actor=secretary,
            project=project,
            new_amount=D("29000"),
            reason="",
            held_on=date(2026, 5, 5),
            attendance=10,
            minutes="未通过",
            result=CouncilMeeting.Result.REJECTED,
            today=TODAY,
        )
    errors = exc.value.message_dict
    assert set(errors) == {"new_amount", "reason", "result"}
    assert "低于已支出的 30,000.00 元" in errors["new_amount"][0]
    propose_change(secretary, project, "45000")
    with pytest.raises(ValidationError, match="待审批"):
        propose_change(secretary, project, "46000")


# 2. Duplicates -------------------------------------------------------------------


def test_the_same_payee_amount_and_date_on_the_project_is_refused(secretary, project):
    first, _warnings = spend(secretary, project, "8400", tag="a")
    with pytest.raises(ValidationError) as exc:
        spend(secretary, project, "8400", tag="b")
    [message] = exc.value.message_dict["amount"]
    assert f"第 {first.pk} 号支出" in message
    assert "无锡惠民照明公司" in message
    # another day is another expense
    spend(secretary, project, "8400", tag="c", paid_on=date(2026, 5, 4))


def test_the_same_receipt_file_anywhere_in_the_fund_year_is_refused(
    secretary, project, fund_year
):
    other = approved_project(fund_year=fund_year, title="重阳敬老")
    first, _ = spend(secretary, project, "8400", tag="same-file")
    with pytest.raises(ValidationError) as exc:
        spend(secretary, other, "1200", tag="same-file", payee="另一家公司")
    [message] = exc.value.message_dict["files"]
    assert f"第 {first.pk} 号支出" in message
    assert project.title in message
    assert Expense.objects.count() == 1


def test_a_reversed_expense_may_be_recorded_again_with_its_receipt(secretary, project):
    wrong, _ = spend(secretary, project, "8400", tag="invoice-17")
    services.expense_reverse(
        actor=secretary, expense=wrong, reason="收款方录错", today=TODAY
    )
    spend(secretary, project, "8400", tag="invoice-17")
    assert selectors.project_spent(project) == D("8400.00")


# 3. Acceptance and reopening ------------------------------------------------


def test_acceptance_needs_the_spending_reported_and_within_the_approved_amount(
    secretary, street, project
):
    with pytest.raises(ValidationError, match="还没有登记任何支出"):
        step(secretary, project, ProjectState.REPORTED)
    spend(secretary, project, "33600")
    # an overspend recorded before the check existed (a row written directly)
    Expense.objects.create(
        project=project,
        payee="旧记录",
        paid_on=date(2026, 5, 1),
        amount=D("17400"),
        description="历史录入",
        classification=services_bought(),
        recorded_by=secretary,
    )
    step(secretary, project, ProjectState.REPORTED)
    with pytest.raises(ValidationError) as exc:
        step(street, project, ProjectState.ACCEPTED)
    assert "已支出 51,000.00 元" in exc.value.messages[0]
    assert "批准金额 42,000.00 元 9,000.00 元" in exc.value.messages[0]
    project.refresh_from_db()
    assert project.state == ProjectState.REPORTED
    # the street sees it line by line before the button
    lines = selectors.acceptance_lines(project)
    assert [line.remaining for line in lines] == [D("24600.00"), D("-9000.00")]


def test_acceptance_waits_for_a_pending_budget_change(secretary, street, project):
    spend(secretary, project, "1000")
    propose_change(secretary, project, "45000")
    step(secretary, project, ProjectState.REPORTED)
    with pytest.raises(ValidationError, match="预算调整待审批"):
        step(street, project, ProjectState.ACCEPTED)


def test_reopen_reverse_accept_again_and_the_public_page_and_pdf_show_it(
    client, secretary, street, project, fund_year
):
    wrong, _ = spend(secretary, project, "12000", tag="x")
    spend(secretary, project, "20000", tag="y", payee="社区文艺队")
    step(secretary, project, ProjectState.REPORTED)
    step(street, project, ProjectState.ACCEPTED)
    step(secretary, project, ProjectState.PUBLISHED)
    with pytest.raises(ValidationError, match="只有已批准"):
        services.expense_reverse(
            actor=secretary, expense=wrong, reason="重复报销", today=TODAY
        )
    with pytest.raises(PermissionDenied):
        step(secretary, project, ProjectState.REOPENED, comment="x")
    with pytest.raises(ValidationError, match="理由"):
        step(street, project, ProjectState.REOPENED)

    step(street, project, ProjectState.REOPENED, comment="审计发现一张发票重复报销")
    services.expense_reverse(
        actor=secretary, expense=wrong, reason="重复报销", today=TODAY
    )
    spend(secretary, project, "2500", tag="z", payee="补录：音响租赁")
    step(secretary, project, ProjectState.REPORTED)
    step(street, project, ProjectState.ACCEPTED)
    project.refresh_from_db()
    assert project.state == ProjectState.ACCEPTED
    assert selectors.project_spent(project) == D("22500.00")

    html = client.get(
        reverse("funding:public-community", args=[fund_year.community.code])
    ).content.decode()
    assert "已支出 22,500.00 元" in html
    assert "-12,000.00" in html
    assert "重新打开更正" in html
    pdf_html = render_to_string("pdf/fund_statement.html", statement_context(fund_year))
    assert "22,500.00" in pdf_html
    assert "验收后重新打开更正" in pdf_html


# 4. Classification ---------------------------------------------------------


def test_a_forbidden_classification_is_refused_with_its_rule(secretary, project):
    office = ExpenseClass.objects.get(code="office_supplies")
    with pytest.raises(ValidationError) as exc:
        spend(
            secretary,
            project,
            "360",
            classification=office,
            description="购买社区打印纸和墨盒",
        )
    [message] = exc.value.message_dict["classification"]
    assert "办公用品和办公耗材" in message
    assert "专项资金不得用于社区办公开支" in message


def test_a_subsidy_under_an_allowed_classification_passes_with_a_warning(
    secretary, project
):
    expense, warnings = spend(
        secretary,
        project,
        "3000",
        classification=ExpenseClass.objects.get(code="resident_subsidy"),
        description="高龄老人助餐补贴",
    )
    assert expense.pk
    assert len(warnings) == 1
    assert "补贴" in warnings[0]
    expense2, _ = spend(
        secretary,
        project,
        "800",
        classification=ExpenseClass.objects.get(code="resident_subsidy"),
        description="慰问困难党员",
    )
    assert expense2.classification.code == "resident_subsidy"


def test_a_classification_no_longer_in_force_is_refused(secretary, project):
    kind = services_bought()
    kind.ends_on = date(2026, 5, 1)
    kind.save()
    with pytest.raises(ValidationError, match="不适用"):
        spend(secretary, project, "100")


def test_reports_group_spending_by_classification(secretary, project, fund_year):
    spend(secretary, project, "3000")
    spend(
        secretary,
        project,
        "800",
        classification=ExpenseClass.objects.get(code="resident_subsidy"),
    )
    report = selectors.budget_report(FundYear.objects.filter(pk=fund_year.pk))
    assert [
        (r.label, r.actual, r.extra["count"]) for r in report.by_classification
    ] == [
        ("购买服务", D("3000.00"), 1),
        ("困难群众和特殊群体补助慰问", D("800.00"), 1),
    ]


# 5. Across the year end -------------------------------------------------------


def test_closing_carries_an_unfinished_project_with_its_commitment(
    secretary, street, city, community
):
    from tests.funding.test_services import set_year

    year_2025 = set_year(city, community, year=2025)
    carried = approved_project(
        fund_year=year_2025, estimated_cost=D("50000"), state=ProjectState.IN_PROGRESS
    )
    finished = approved_project(
        fund_year=year_2025, estimated_cost=D("30000"), state=ProjectState.ACCEPTED
    )
    for project, amount in ((carried, "20000"), (finished, "30000")):
        Expense.objects.create(
            project=project,
            payee="某公司",
            paid_on=date(2025, 11, 1),
            amount=D(amount),
            description="实施",
            classification=services_bought(),
            recorded_by=secretary,
        )
    services.project_carry_forward_request(
        actor=secretary, project=carried, reason="冬季不宜施工，明年春季完工"
    )
    with pytest.raises(PermissionDenied):
        services.project_carry_forward_decide(
            actor=secretary, project=carried, approve=True
        )
    services.project_carry_forward_decide(actor=street, project=carried, approve=True)

    services.fund_year_close(actor=city, fund_year=year_2025, today=date(2026, 1, 5))

    year_2025.refresh_from_db()
    carried.refresh_from_db()
    assert carried.state == ProjectState.CARRIED
    # 200,000 − 50,000 spent; 30,000 of it travels with the carried project
    assert year_2025.carried_out == D("150000.00")
    year_2026 = set_year(city, community, year=2026)
    assert year_2026.carried_in == D("150000.00")
    continuation = Project.objects.get(carried_from=carried)
    assert continuation.fund_year == year_2026
    assert continuation.state == ProjectState.IN_PROGRESS
    assert continuation.reserved == D("30000.00")
    figures = selectors.fund_year_figures(year_2026)
    assert (figures.committed, figures.available) == (D("30000.00"), D("320000.00"))
    assert carried.carry_forward == CarryForward.APPROVED


# 6. Overspending is visible everywhere ------------------------------------------


def test_overspending_shows_on_the_project_reports_statement_and_public_page(
    client, secretary, project, fund_year
):
    Expense.objects.create(
        project=project,
        payee="旧记录",
        paid_on=date(2026, 5, 1),
        amount=D("51000"),
        description="历史录入",
        classification=services_bought(),
        recorded_by=secretary,
    )
    figures = selectors.fund_year_figures(fund_year)
    assert figures.over_approved == D("9000.00")
    report = selectors.budget_report(FundYear.objects.filter(pk=fund_year.pk))
    assert [row.over for row in report.by_project] == [D("9000.00")]
    pdf_html = render_to_string("pdf/fund_statement.html", statement_context(fund_year))
    assert "9,000.00" in pdf_html
    public = client.get(
        reverse("funding:public-community", args=[fund_year.community.code])
    ).content.decode()
    assert "超支 9,000.00" in public
    client.force_login(secretary)
    page = client.get(reverse("funding:project-detail", args=[project.pk]))
    assert "超支 9,000.00" in page.content.decode()
    report_page = client.get(reverse("funding:report")).content.decode()
    assert "9,000.00" in report_page


# 7. Demo receipts ----------------------------------------------------------------


def test_demo_receipts_are_real_pdf_and_png():
    from io import BytesIO

    from PIL import Image

    from funding.demo import receipt_pdf, receipt_png

    pdf = receipt_pdf(
        number="32020001",
        payee="无锡市惠民服务有限公司",
        amount=D("14400"),
        day=date(2026, 3, 1),
        item="楼道照明",
    )
    assert pdf.startswith(b"%PDF-")
    assert b"%%EOF" in pdf[-32:]
    assert len(pdf) > 1000
    png = receipt_png(number="32020001", amount=D("14400"), day=date(2026, 3, 1))
    image = Image.open(BytesIO(png))
    image.verify()
    assert image.format == "PNG"

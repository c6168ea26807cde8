"""Pages of budget control: budget changes, acceptance, closing, and the
classification list in the admin and as an import."""

from datetime import date
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.imports import import_dataset
from core.models import Role
from funding import services
from funding.models import BudgetChange, ExpenseClass, ProjectState
from funding.resources import ExpenseClassResource
from tests.factories import CommunityFactory, UserFactory
from tests.funding.factories import FundYearFactory, approved_project, services_bought

pytestmark = pytest.mark.usefixtures("fund_reference")

D = Decimal


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
def project(community, secretary):
    fund_year = FundYearFactory(community=community, year=date.today().year)  # noqa: DTZ011
    return approved_project(
        fund_year=fund_year,
        estimated_cost=D("42000"),
        state=ProjectState.IN_PROGRESS,
        proposed_by=secretary,
    )


def test_budget_change_from_the_project_page_to_the_street(
    client, secretary, street, project
):
    client.force_login(secretary)
    page = client.get(reverse("funding:project-detail", args=[project.pk]))
    assert reverse("funding:budget-change-create", args=[project.pk]) in (
        page.content.decode()
    )
    response = client.post(
        reverse("funding:budget-change-create", args=[project.pk]),
        {
            "new_amount": "45000",
            "reason": "参与人数增加",
            "held_on": date.today().isoformat(),  # noqa: DTZ011
            "attendance": "18",
            "minutes": "同意",
            "result": "passed",
        },
    )
    assert response.status_code == 302
    change = BudgetChange.objects.get()
    # the street sees it on the desk and decides on the project page
    client.force_login(street)
    desk = client.get(reverse("funding:desk")).content.decode()
    assert project.title in desk
    client.post(
        reverse("funding:budget-change-decide", args=[change.pk]),
        {"decision": "refuse", "comment": ""},
    )
    change.refresh_from_db()
    assert change.status == BudgetChange.Status.SUBMITTED  # a refusal needs a reason
    client.post(
        reverse("funding:budget-change-decide", args=[change.pk]),
        {"decision": "approve", "comment": "同意"},
    )
    change.refresh_from_db()
    project.refresh_from_db()
    assert change.status == BudgetChange.Status.APPROVED
    assert project.reserved == D("45000.00")
    page = client.get(reverse("funding:project-detail", args=[project.pk]))
    assert "第 2 版" in page.content.decode()


def test_a_secretary_of_another_community_cannot_decide_or_propose(project):
    stranger = UserFactory(role=Role.STREET_OFFICER)
    change = services.budget_change_propose(
        actor=project.proposed_by,
        project=project,
        new_amount=D("43000"),
        reason="x",
        held_on=date(2026, 1, 2),
        attendance=9,
        minutes="同意",
        result="passed",
        today=date(2026, 1, 2),
    )
    from django.test import Client

    client = Client()
    client.force_login(stranger)
    response = client.post(
        reverse("funding:budget-change-decide", args=[change.pk]),
        {"decision": "approve"},
    )
    assert response.status_code == 404
    change.refresh_from_db()
    assert change.status == BudgetChange.Status.SUBMITTED


def test_a_secretary_in_scope_is_refused_before_the_form_is_read(
    client, secretary, project
):
    change = services.budget_change_propose(
        actor=secretary,
        project=project,
        new_amount=D("43000"),
        reason="x",
        held_on=date(2026, 1, 2),
        attendance=9,
        minutes="同意",
        result="passed",
        today=date(2026, 1, 2),
    )
    client.force_login(secretary)

    empty = client.post(reverse("funding:budget-change-decide", args=[change.pk]))
    approve = client.post(
        reverse("funding:budget-change-decide", args=[change.pk]),
        {"decision": "approve", "comment": "自己批"},
    )

    assert empty.status_code == 403
    assert approve.status_code == 403
    assert "不能审批这项预算调整" in approve.content.decode()
    change.refresh_from_db()
    assert change.status == BudgetChange.Status.SUBMITTED


def test_the_street_sees_budget_against_spending_before_accepting(
    client, secretary, street, project
):
    services.expense_record(
        actor=secretary,
        project=project,
        payee="老年助餐点",
        paid_on=date(2026, 1, 5),
        amount=D("3000"),
        description="高龄老人助餐补贴",
        classification=ExpenseClass.objects.get(code="resident_subsidy"),
        files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4\n% a\n")],
        today=date(2026, 1, 5),
    )
    services.project_transition(
        actor=secretary,
        project=project,
        to_state=ProjectState.REPORTED,
        today=date(2026, 1, 6),
    )
    client.force_login(street)
    html = client.get(
        reverse("funding:project-detail", args=[project.pk])
    ).content.decode()
    table = html[
        html.index('id="acceptance"') : html.index(
            "</table>", html.index('id="acceptance"')
        )
    ]
    assert "3,000.00" in table
    assert "39,000.00" in table  # what remains of the approved amount
    assert "请核实" in table  # the keyword warning, for the reviewer only
    assert html.index('id="acceptance"') < html.index('data-to="accepted"')


def test_the_close_page_offers_carry_forward_and_closing_never_blocks(
    client, secretary, project
):
    admin = UserFactory(role=Role.CITY_STAFF)
    client.force_login(admin)
    url = reverse("funding:fund-year-close", args=[project.fund_year_id])
    page = client.get(url).content.decode()
    assert project.title in page
    assert reverse("funding:carry-forward-request", args=[project.pk]) in page
    client.post(
        reverse("funding:carry-forward-request", args=[project.pk]),
        {"reason": "跨年施工"},
    )
    project.refresh_from_db()
    assert project.carry_forward == "requested"
    response = client.post(url)
    assert response.status_code == 302
    project.refresh_from_db()
    project.fund_year.refresh_from_db()
    assert project.fund_year.status == "closed"
    # not agreed by the street: it ends here and releases its money
    assert project.state == ProjectState.LAPSED
    assert project.fund_year.carried_out == D("200000.00")


def test_expense_classifications_import_by_code():
    dataset = tablib.Dataset(
        headers=[
            "代码",
            "名称",
            "允许使用",
            "依据的规定",
            "生效日期",
            "停用日期",
            "排序",
        ]
    )
    dataset.append(
        [
            "training",
            "志愿者培训",
            "1",
            "志愿服务培训，可以使用专项资金",
            "2026-01-01",
            "",
            "6",
        ]
    )
    dataset.append(
        [
            "office_supplies",
            "办公用品和办公耗材",
            "0",
            "专项资金不得用于社区办公开支",
            "2016-01-01",
            "2026-12-31",
            "20",
        ]
    )
    report = import_dataset(ExpenseClassResource(), dataset, dry_run=False)
    assert not [row.errors for row in report.rows if row.errors]
    training = ExpenseClass.objects.get(code="training")
    assert (training.is_allowed, training.effective_on) == (True, date(2026, 1, 1))
    office = ExpenseClass.objects.get(code="office_supplies")
    assert office.ends_on == date(2026, 12, 31)
    assert office.is_allowed is False


def test_admin_edits_the_classification_list(client):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("admin:funding_expenseclass_changelist"))
    assert page.status_code == 200
    assert "购买服务" in page.content.decode()
    kind = services_bought()
    assert (
        client.get(
            reverse("admin:funding_expenseclass_change", args=[kind.pk])
        ).status_code
        == 200
    )

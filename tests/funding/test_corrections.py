"""An approved fund record is never changed; corrections are new records."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Role
from core.money import to_money
from funding import selectors, services
from funding.models import Expense, FundYear, Objection, Project, ProjectState
from tests.factories import CommunityFactory, UserFactory
from tests.funding.factories import (
    FundYearFactory,
    ProjectFactory,
    approved_project,
    services_bought,
)

pytestmark = pytest.mark.usefixtures("fund_reference")

D = Decimal
TODAY = date(2026, 4, 1)
PDF = b"%PDF-1.4\n% receipt\n"


@pytest.fixture
def fund_year():
    return FundYearFactory()


@pytest.fixture
def secretary(fund_year):
    return UserFactory(role=Role.SECRETARY, community=fund_year.community)


@pytest.fixture
def expense(fund_year, secretary):
    project = approved_project(fund_year=fund_year, estimated_cost=D("30000"))
    expense, _warnings = services.expense_record(
        classification=services_bought(),
        actor=secretary,
        project=project,
        payee="某文化公司",
        paid_on=TODAY,
        amount=D("12000.00"),
        description="演出费",
        files=[SimpleUploadedFile("发票.pdf", PDF)],
        today=TODAY,
    )
    return expense


# Reversals --------------------------------------------------------------------


def test_reversal_is_a_new_negative_row_and_the_original_stays(expense, secretary):
    # when
    reversal = services.expense_reverse(
        actor=secretary, expense=expense, reason="金额录错，应为 1,200 元", today=TODAY
    )
    # then
    original = Expense.objects.get(pk=expense.pk)
    assert original.amount == to_money(D("12000.00"))
    assert original.description == "演出费"
    assert reversal.amount == to_money(D("-12000.00"))
    assert reversal.reverses == original
    assert reversal.description == "金额录错，应为 1,200 元"
    assert selectors.project_spent(expense.project) == D("0.00")
    figures = selectors.fund_year_figures(expense.project.fund_year)
    assert figures.spent == D("0.00")
    assert figures.committed == D("30000.00")


def test_reversal_needs_a_reason_and_happens_once(expense, secretary):
    with pytest.raises(ValidationError):
        services.expense_reverse(
            actor=secretary, expense=expense, reason=" ", today=TODAY
        )
    reversal = services.expense_reverse(
        actor=secretary, expense=expense, reason="重复登记", today=TODAY
    )
    with pytest.raises(ValidationError, match="已经冲销过"):
        services.expense_reverse(
            actor=secretary, expense=expense, reason="再来一次", today=TODAY
        )
    with pytest.raises(ValidationError, match="冲销记录本身不能再冲销"):
        services.expense_reverse(
            actor=secretary, expense=reversal, reason="撤销冲销", today=TODAY
        )


def test_reversal_only_by_the_communitys_secretary_while_spending_is_open(
    expense, secretary
):
    for outsider in (
        UserFactory(role=Role.SECRETARY, community=CommunityFactory()),
        UserFactory(
            role=Role.STREET_OFFICER, street=expense.project.fund_year.community.street
        ),
        UserFactory(role=Role.AUDITOR),
    ):
        with pytest.raises(PermissionDenied):
            services.expense_reverse(
                actor=outsider, expense=expense, reason="理由", today=TODAY
            )
    Project.objects.filter(pk=expense.project_id).update(state=ProjectState.ACCEPTED)
    with pytest.raises(ValidationError, match="冲销"):
        services.expense_reverse(
            actor=secretary, expense=expense, reason="理由", today=TODAY
        )
    assert Expense.objects.count() == 1


def test_expense_amount_must_be_positive(fund_year, secretary):
    project = approved_project(fund_year=fund_year)
    with pytest.raises(ValidationError) as exc:
        services.expense_record(
            classification=services_bought(),
            actor=secretary,
            project=project,
            payee="某公司",
            paid_on=TODAY,
            amount=D("-100"),
            description="物资",
            files=[SimpleUploadedFile("发票.pdf", PDF)],
            today=TODAY,
        )
    assert "冲销" in exc.value.message_dict["amount"][0]


def test_reversal_from_the_project_page(client, expense, secretary):
    client.force_login(secretary)
    page = client.get(reverse("funding:project-detail", args=[expense.project_id]))
    assert reverse("funding:expense-reverse", args=[expense.pk]) in page.text
    response = client.post(
        reverse("funding:expense-reverse", args=[expense.pk]),
        {"reason": "重复登记"},
        follow=True,
    )
    assert "已冲销 12,000.00 元" in response.text
    assert "-12,000.00" in response.text
    assert "已冲销</span>" in response.text
    public = client.get(
        reverse(
            "funding:public-community", args=[expense.project.fund_year.community.code]
        )
    )
    assert "-12,000.00" in public.text


def test_reversal_page_refuses_others(client, expense):
    client.force_login(UserFactory(role=Role.SECRETARY, community=CommunityFactory()))
    response = client.post(
        reverse("funding:expense-reverse", args=[expense.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    client.force_login(UserFactory(role=Role.AUDITOR))
    client.post(reverse("funding:expense-reverse", args=[expense.pk]), {"reason": "x"})
    assert Expense.objects.count() == 1


# Objections, allocations ---------------------------------------------------------


def test_an_answered_objection_keeps_its_answer(fund_year, secretary):
    project = ProjectFactory(fund_year=fund_year, state=ProjectState.ON_NOTICE)
    objection = services.objection_record(
        actor=secretary,
        project=project,
        received_on=TODAY,
        content="噪音扰民",
        today=TODAY,
    )
    services.objection_answer(
        actor=secretary, objection=objection, answer="安排在白天", today=TODAY
    )
    with pytest.raises(ValidationError, match="答复不能修改"):
        services.objection_answer(
            actor=secretary, objection=objection, answer="改个说法", today=TODAY
        )
    objection.refresh_from_db()
    assert objection.answer == "安排在白天"
    assert Objection.objects.count() == 1


def test_allocation_cannot_drop_below_what_is_reserved_and_spent(fund_year):
    approved_project(fund_year=fund_year, estimated_cost=D("150000"))
    FundYear.objects.filter(pk=fund_year.pk).update(allocation=D("300000"))
    city = UserFactory(role=Role.CITY_STAFF)

    def set_allocation(amount):
        return services.fund_year_set(
            actor=city,
            community=fund_year.community,
            year=fund_year.year,
            allocation=D(amount),
            city_share=D(amount) - D("100000"),
            district_share=D("60000"),
            street_share=D("40000"),
        )

    assert set_allocation("250000").allocation == to_money(D("250000.00"))
    approved_project(fund_year=fund_year, estimated_cost=D("80000"))
    with pytest.raises(ValidationError, match=r"230,000\.00"):
        set_allocation("200000")
    fund_year.refresh_from_db()
    assert fund_year.allocation == to_money(D("250000.00"))


# The admin never edits fund rows -------------------------------------------------


@pytest.mark.parametrize("model", ["fundyear", "project", "expense"])
def test_admin_cannot_change_add_or_delete_fund_rows(client, expense, model):
    admin = UserFactory(
        username="root", role=Role.ADMIN, is_staff=True, is_superuser=True
    )
    client.force_login(admin)
    obj = {
        "fundyear": expense.project.fund_year,
        "project": expense.project,
        "expense": expense,
    }[model]
    change = reverse(f"admin:funding_{model}_change", args=[obj.pk])
    page = client.get(change)
    assert page.status_code == 200  # a superuser may look
    assert 'name="_save"' not in page.text
    assert client.post(change, {"amount": "1", "title": "x"}).status_code == 403
    assert client.get(reverse(f"admin:funding_{model}_add")).status_code == 403
    delete = reverse(f"admin:funding_{model}_delete", args=[obj.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    expense.refresh_from_db()
    assert expense.amount == to_money(D("12000.00"))
    assert Project.objects.get(pk=expense.project_id).title != "x"


def test_no_page_edits_an_approved_project_or_an_expense():
    """Only the reversal and the listed steps write; there is no edit URL."""
    from funding.urls import urlpatterns

    names = {p.name for p in urlpatterns}
    assert not {n for n in names if "edit" in n or "update" in n or "delete" in n}

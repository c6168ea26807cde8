"""Pages of the fund: permissions, the happy paths, the public page."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Role
from funding import services
from funding.models import FundYear, ProjectState, StoredFile
from tests.factories import CommunityFactory, StreetFactory, UserFactory
from tests.funding.factories import (
    FundYearFactory,
    ProjectFactory,
    approved_project,
    services_bought,
)

pytestmark = pytest.mark.usefixtures("fund_reference")

D = Decimal
PDF = b"%PDF-1.4\n% receipt\n"


@pytest.fixture
def fund_year():
    return FundYearFactory(year=date.today().year)  # noqa: DTZ011


@pytest.fixture
def secretary(fund_year):
    return UserFactory(
        role=Role.SECRETARY, community=fund_year.community, first_name="王书记"
    )


@pytest.fixture
def spent_project(fund_year, secretary):
    project = approved_project(fund_year=fund_year, title="重阳敬老活动")
    services.expense_record(
        classification=services_bought(),
        actor=secretary,
        project=project,
        payee="张三丰",
        payee_is_person=True,
        paid_on=date(2026, 1, 5),
        amount=D("1234.50"),
        description="慰问品",
        files=[SimpleUploadedFile("receipt.pdf", PDF)],
        today=date(2026, 1, 5),
    )
    return project


def test_desks_render_for_each_role(client, fund_year, secretary, spent_project):
    community = fund_year.community
    for user in (
        secretary,
        UserFactory(role=Role.STREET_OFFICER, street=community.street),
        UserFactory(role=Role.DISTRICT_STAFF, district=community.street.district),
        UserFactory(role=Role.CITY_STAFF),
        UserFactory(role=Role.AUDITOR),
    ):
        client.force_login(user)
        response = client.get(reverse("funding:desk"))
        assert response.status_code == 200
        expected = "重阳敬老活动" if user == secretary else community.name
        assert expected in response.content.decode()
        assert client.get(reverse("core:home")).status_code == 200


def test_secretary_cannot_see_another_communitys_fund(client, secretary):
    other = approved_project(fund_year=FundYearFactory())
    client.force_login(secretary)
    for url in (
        reverse("funding:fund-year-detail", args=[other.fund_year.pk]),
        reverse("funding:project-detail", args=[other.pk]),
        reverse("funding:expense-create", args=[other.pk]),
        reverse("funding:project-create", args=[other.fund_year.pk]),
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("funding:project-transition", args=[other.pk]),
        {"to_state": ProjectState.IN_PROGRESS},
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.state == ProjectState.APPROVED


def test_receipt_is_served_only_within_scope(client, secretary, spent_project):
    stored = StoredFile.objects.get()
    url = reverse("funding:file-download", args=[stored.pk])
    client.force_login(secretary)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    for reader in (
        UserFactory(role=Role.CITY_STAFF),
        UserFactory(role=Role.AUDITOR),
        UserFactory(
            role=Role.STREET_OFFICER, street=spent_project.fund_year.community.street
        ),
    ):
        client.force_login(reader)
        assert client.get(url).status_code == 200
    client.force_login(UserFactory(role=Role.SECRETARY, community=CommunityFactory()))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(role=Role.STREET_OFFICER, street=StreetFactory()))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_street_officer_sees_only_their_street(client, fund_year, spent_project):
    elsewhere = UserFactory(role=Role.STREET_OFFICER, street=StreetFactory())
    client.force_login(elsewhere)
    assert (
        client.get(
            reverse("funding:project-detail", args=[spent_project.pk])
        ).status_code
        == 404
    )
    response = client.get(reverse("funding:report"))
    assert "重阳敬老活动" not in response.content.decode()


def test_auditor_reads_but_changes_nothing(client, fund_year, spent_project):
    client.force_login(UserFactory(role=Role.AUDITOR))
    assert (
        client.get(
            reverse("funding:project-detail", args=[spent_project.pk])
        ).status_code
        == 200
    )
    response = client.post(
        reverse("funding:project-transition", args=[spent_project.pk]),
        {"to_state": ProjectState.IN_PROGRESS},
        follow=True,
    )
    assert "不能" in response.content.decode()
    spent_project.refresh_from_db()
    assert spent_project.state == ProjectState.APPROVED
    assert client.get(reverse("funding:fund-year-create")).status_code == 403
    assert client.get(reverse("funding:allocation-import")).status_code == 403
    for name, pk in (
        ("funding:project-create", fund_year.pk),
        ("funding:meeting-create", spent_project.pk),
        ("funding:expense-create", spent_project.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 403, name
    assert (
        client.post(reverse("funding:fund-year-close", args=[fund_year.pk])).status_code
        == 302
    )
    fund_year.refresh_from_db()
    assert fund_year.status == FundYear.Status.OPEN


def test_public_page_shows_projects_and_spending_without_personal_data(
    client, fund_year, secretary, spent_project
):
    ProjectFactory(fund_year=fund_year, title="尚在提议的项目")
    response = client.get(
        reverse("funding:public-community", args=[fund_year.community.code])
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "重阳敬老活动" in text
    assert "1,234.50" in text
    assert "慰问品" in text
    assert "尚在提议的项目" not in text
    for secret in ("张三丰", "王书记", secretary.username, "receipt.pdf"):
        assert secret not in text


def test_report_and_export_add_up(client, fund_year, spent_project):
    other = FundYearFactory(
        year=fund_year.year, community__street=fund_year.community.street
    )
    approved_project(fund_year=other, estimated_cost=D("20000"))
    client.force_login(
        UserFactory(role=Role.STREET_OFFICER, street=fund_year.community.street)
    )
    response = client.get(reverse("funding:report"))
    text = response.content.decode()
    assert "<svg" in text
    assert "50,000.00" in text  # budget of both approved projects
    response = client.get(reverse("funding:report-export"))
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["按社区"].values)
    assert rows[-1][0] == "合计"
    assert Decimal(str(rows[-1][4])) == D("1234.50")
    categories = list(workbook["按类别"].values)
    assert categories[-1][1] == 50000


def test_allocation_import_is_all_or_nothing(client):
    street = StreetFactory()
    good, bad = CommunityFactory(street=street), CommunityFactory(street=street)
    client.force_login(UserFactory(role=Role.STREET_OFFICER, street=street))
    assert client.get(reverse("funding:allocation-import")).status_code == 403
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    csv = (
        "社区代码,年度,年度拨款,市级承担,区级承担,街道承担\n"
        f"{good.code},2026,200000,100000,60000,40000\n"
        f"{bad.code},2026,150000,100000,50000,0\n"
    ).encode()
    response = client.post(
        reverse("funding:allocation-import"),
        {"file": SimpleUploadedFile("拨款.csv", csv)},
    )
    text = response.content.decode()
    assert "低于最低标准" in text
    assert "confirm-import" not in text
    assert not FundYear.objects.exists()
    fixed = csv.replace(b"150000,100000,50000,0", b"210000,100000,60000,50000")
    response = client.post(
        reverse("funding:allocation-import"),
        {"file": SimpleUploadedFile("拨款.csv", fixed)},
    )
    assert "confirm-import" in response.content.decode()
    token = client.session["import:funding-allocation"]["token"]
    client.post(
        reverse("funding:allocation-import"), {"action": "confirm", "token": token}
    )
    assert sorted(FundYear.objects.values_list("allocation", flat=True)) == [
        D("200000.00"),
        D("210000.00"),
    ]


def test_auditor_prints_the_statement_and_others_outside_scope_cannot(
    client, fund_year, spent_project
):
    url = reverse("funding:fund-year-statement", args=[fund_year.pk])
    client.force_login(UserFactory(role=Role.AUDITOR))
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    client.force_login(UserFactory(role=Role.SECRETARY, community=CommunityFactory()))
    assert client.get(url).status_code == 404


def test_statement_lists_projects_and_expenses(fund_year, spent_project):
    from django.template.loader import render_to_string

    from funding.pdf import statement_context

    html = render_to_string("pdf/fund_statement.html", statement_context(fund_year))
    assert "重阳敬老活动" in html
    assert "1,234.50" in html


def test_expense_page_refuses_a_wrong_type_and_keeps_nothing(
    client, secretary, fund_year
):
    project = approved_project(fund_year=fund_year)
    client.force_login(secretary)
    response = client.post(
        reverse("funding:expense-create", args=[project.pk]),
        {
            "payee": "某公司",
            "paid_on": "2026-01-05",
            "amount": "100",
            "description": "物资",
            "classification": services_bought().pk,
            "files": SimpleUploadedFile("../../run.sh", b"#!/bin/sh\n"),
        },
    )
    assert response.status_code == 200
    assert "不是允许的文件类型" in response.content.decode()
    assert not project.expenses.exists()
    assert not StoredFile.objects.exists()


def test_fund_year_page_queries_do_not_grow_with_projects(
    client, fund_year, secretary, django_assert_max_num_queries
):
    for _ in range(8):
        approved_project(fund_year=fund_year)
    client.force_login(secretary)
    url = reverse("funding:fund-year-detail", args=[fund_year.pk])
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("funding:desk")).status_code == 200


def test_fund_admin_closes_a_year_from_its_page(client, fund_year, spent_project):
    spent_project.state = ProjectState.PUBLISHED
    spent_project.save()
    client.force_login(UserFactory(role=Role.FINANCE))
    response = client.post(
        reverse("funding:fund-year-close", args=[fund_year.pk]), follow=True
    )
    assert "已结账，结转下年 198,765.50 元" in response.content.decode()
    fund_year.refresh_from_db()
    assert fund_year.status == FundYear.Status.CLOSED


def test_city_report_rolls_up_by_district_and_a_district_by_street(client):
    # given: two districts, one with two streets
    first = FundYearFactory(year=2026)
    district = first.community.street.district
    FundYearFactory(year=2026, community__street__district=district)
    FundYearFactory(year=2026)
    approved_project(fund_year=first, estimated_cost=D("20000"))
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    # when
    city = client.get(reverse("funding:report"), {"year": 2026}).text
    one = client.get(
        reverse("funding:report"), {"year": 2026, "district": district.code}
    ).text
    # then
    assert "按区" in city
    assert f"district={district.code}" in city
    assert "400,000.00" in city  # the district's two allocations
    assert "按街道" in one
    assert "按区" not in one
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("funding:report-export"), {"year": 2026}).content)
    )
    assert workbook["按区"]["B2"].value == 2


def test_a_proposal_above_the_available_money_is_warned_when_saved(
    client, fund_year, secretary
):
    approved_project(fund_year=fund_year, estimated_cost=D("150000"))
    client.force_login(secretary)
    response = client.post(
        reverse("funding:project-create", args=[fund_year.pk]),
        {
            "category": fund_year.projects.first().category_id,
            "title": "助餐设备",
            "purpose": "购置保温餐车",
            "beneficiaries": "高龄老人",
            "expected_beneficiaries": 100,
            "estimated_cost": "60000",
        },
        follow=True,
    )
    assert "预算 60,000.00 元超过当前可用资金 50,000.00 元，批准时将被拒绝。" in (
        response.text
    )
    project = fund_year.projects.get(title="助餐设备")
    assert project.state == ProjectState.PROPOSED

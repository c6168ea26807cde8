"""Services of the fund: fund years, the project life, spending."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Role
from core.money import to_money
from funding import selectors, services
from funding.models import (
    Category,
    CouncilMeeting,
    FundPolicy,
    FundYear,
    ProjectEvent,
    ProjectState,
    StoredFile,
)
from tests.factories import CommunityFactory, StreetFactory, UserFactory
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


def pdf(name="发票.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def community():
    return CommunityFactory()


@pytest.fixture
def city_staff():
    return UserFactory(role=Role.CITY_STAFF)


@pytest.fixture
def secretary(community):
    return UserFactory(role=Role.SECRETARY, community=community)


@pytest.fixture
def street_officer(community):
    return UserFactory(role=Role.STREET_OFFICER, street=community.street)


@pytest.fixture
def district_staff(community):
    return UserFactory(role=Role.DISTRICT_STAFF, district=community.street.district)


def set_year(
    actor,
    community,
    allocation="200000",
    shares=("100000", "60000", "40000"),
    year=2026,
):
    return services.fund_year_set(
        actor=actor,
        community=community,
        year=year,
        allocation=D(allocation),
        city_share=D(shares[0]),
        district_share=D(shares[1]),
        street_share=D(shares[2]),
    )


# Fund years --------------------------------------------------------------------


def test_fund_year_below_floor_is_refused_with_a_chinese_message(city_staff, community):
    with pytest.raises(ValidationError) as exc:
        set_year(city_staff, community, "199999.99", ("100000", "60000", "39999.99"))
    assert "低于最低标准 200,000.00 元" in exc.value.message_dict["allocation"][0]
    assert not FundYear.objects.exists()


def test_fund_year_floor_comes_from_the_dated_policy(city_staff, community):
    FundPolicy.objects.create(
        effective_on=date(2026, 1, 1),
        minimum_allocation=D("250000"),
        district_approval_threshold=D("50000"),
        notice_days=7,
    )
    with pytest.raises(ValidationError, match=r"250,000\.00"):
        set_year(city_staff, community)
    assert set_year(city_staff, community, year=2025).allocation == to_money(
        D("200000.00")
    )


def test_fund_year_sources_must_add_up(city_staff, community):
    with pytest.raises(ValidationError) as exc:
        set_year(city_staff, community, shares=("100000", "60000", "30000"))
    assert "不一致" in exc.value.message_dict["__all__"][0]


def test_fund_year_refused_to_auditor_secretary_and_out_of_scope(community):
    for user in (
        UserFactory(role=Role.AUDITOR),
        UserFactory(role=Role.SECRETARY, community=community),
        UserFactory(
            role=Role.DISTRICT_STAFF, district=CommunityFactory().street.district
        ),
    ):
        with pytest.raises(PermissionDenied):
            set_year(user, community)
    assert not FundYear.objects.exists()


def test_closing_carries_the_rest_into_next_year(city_staff, community):
    fund_year = set_year(city_staff, community, year=2025)
    project = approved_project(fund_year=fund_year, estimated_cost=D("50000"))
    project.expenses.create(
        payee="某公司",
        paid_on=date(2025, 6, 1),
        amount=D("45000"),
        description="灯具",
        classification=services_bought(),
        recorded_by=city_staff,
    )
    project.state = ProjectState.ACCEPTED
    project.save()
    following = set_year(city_staff, community, year=2026)

    services.fund_year_close(actor=city_staff, fund_year=fund_year, today=TODAY)

    fund_year.refresh_from_db()
    following.refresh_from_db()
    assert fund_year.status == FundYear.Status.CLOSED
    assert fund_year.carried_out == D("155000.00")
    assert following.carried_in == D("155000.00")
    with pytest.raises(ValidationError, match="已结账"):
        set_year(city_staff, community, year=2025)


def test_closing_without_carry_over_and_new_year_takes_carried_out(
    city_staff, community
):
    FundPolicy.objects.update(carry_over_allowed=False)
    fund_year = set_year(city_staff, community, year=2025)
    services.fund_year_close(actor=city_staff, fund_year=fund_year, today=TODAY)
    assert set_year(city_staff, community, year=2026).carried_in == D("0.00")


def test_closing_never_waits_for_projects_not_carried(city_staff, community):
    fund_year = set_year(city_staff, community)
    project = approved_project(fund_year=fund_year)
    proposal = ProjectFactory(fund_year=fund_year)

    services.fund_year_close(actor=city_staff, fund_year=fund_year, today=TODAY)

    project.refresh_from_db()
    proposal.refresh_from_db()
    assert (project.state, proposal.state) == (ProjectState.LAPSED,) * 2
    fund_year.refresh_from_db()
    assert fund_year.carried_out == D("200000.00")
    assert "终止" in project.events.last().comment


# Projects ----------------------------------------------------------------------


def propose(secretary, fund_year, cost="30000", purpose="更换楼道灯具"):
    return services.project_propose(
        actor=secretary,
        fund_year=fund_year,
        category=Category.objects.get(code="public"),
        title="楼道照明",
        purpose=purpose,
        beneficiaries="居民",
        expected_beneficiaries=200,
        estimated_cost=D(cost),
        today=TODAY,
    )


def test_words_of_a_forbidden_use_only_warn_the_reviewer(secretary):
    fund_year = FundYearFactory(community=secretary.community)
    project = propose(secretary, fund_year, purpose="社区办公用房装修")
    [warning] = selectors.keyword_warnings([project.purpose])
    assert "社区办公场所建设和改造" in warning
    assert "办公用房" in warning


def test_secretary_cannot_propose_for_another_community(secretary):
    other = FundYearFactory()
    with pytest.raises(PermissionDenied):
        propose(secretary, other)


def meeting(secretary, project, result=CouncilMeeting.Result.PASSED, files=()):
    return services.council_meeting_record(
        actor=secretary,
        project=project,
        held_on=date(2026, 3, 20),
        attendance=25,
        minutes="一致同意",
        result=result,
        files=files,
        today=TODAY,
    )


def step(actor, project, to_state, today=TODAY, comment=""):
    return services.project_transition(
        actor=actor, project=project, to_state=to_state, today=today, comment=comment
    )


def test_the_whole_life_of_a_project(secretary, street_officer):
    fund_year = FundYearFactory(community=secretary.community)
    project = propose(secretary, fund_year)

    with pytest.raises(ValidationError, match="议事会"):
        step(secretary, project, ProjectState.DISCUSSED)
    meeting(secretary, project, files=[pdf("纪要.pdf")])
    step(secretary, project, ProjectState.DISCUSSED)
    with pytest.raises(PermissionDenied):
        step(secretary, project, ProjectState.STREET_REVIEWED)
    step(street_officer, project, ProjectState.STREET_REVIEWED, comment="同意")
    project = step(secretary, project, ProjectState.ON_NOTICE, today=date(2026, 4, 1))
    assert project.notice_ends_on == date(2026, 4, 7)

    with pytest.raises(ValidationError, match="2026-04-07"):
        step(street_officer, project, ProjectState.APPROVED, today=date(2026, 4, 7))
    objection = services.objection_record(
        actor=secretary,
        project=project,
        received_on=date(2026, 4, 3),
        content="灯具选型太贵",
        today=date(2026, 4, 3),
    )
    with pytest.raises(ValidationError, match="未答复"):
        step(street_officer, project, ProjectState.APPROVED, today=date(2026, 4, 8))
    services.objection_answer(
        actor=secretary,
        objection=objection,
        answer="已比价三家",
        today=date(2026, 4, 4),
    )
    project = step(
        street_officer, project, ProjectState.APPROVED, today=date(2026, 4, 8)
    )
    assert project.reserved == D("30000.00")
    figures = selectors.fund_year_figures(fund_year)
    assert (figures.committed, figures.available) == (D("30000.00"), D("170000.00"))

    step(secretary, project, ProjectState.IN_PROGRESS)
    _expense, warnings = services.expense_record(
        classification=services_bought(),
        actor=secretary,
        project=project,
        payee="无锡某照明公司",
        paid_on=date(2026, 4, 10),
        amount=D("12000"),
        description="灯具",
        files=[pdf()],
        today=date(2026, 4, 10),
    )
    assert warnings == []
    figures = selectors.fund_year_figures(fund_year)
    assert (figures.committed, figures.spent, figures.available) == (
        D("18000.00"),
        D("12000.00"),
        D("170000.00"),
    )
    with pytest.raises(PermissionDenied):
        step(street_officer, project, ProjectState.ACCEPTED)
    step(secretary, project, ProjectState.REPORTED)
    step(street_officer, project, ProjectState.ACCEPTED)
    step(secretary, project, ProjectState.PUBLISHED)
    assert selectors.fund_year_figures(fund_year).available == D("188000.00")
    events = list(ProjectEvent.objects.filter(project=project))
    assert [e.to_state for e in events] == [
        "proposed",
        "discussed",
        "street_reviewed",
        "on_notice",
        "approved",
        "in_progress",
        "reported",
        "accepted",
        "published",
    ]
    assert events[2].actor == street_officer
    assert events[2].comment == "同意"


def on_notice(fund_year, cost="30000", **kwargs):
    return ProjectFactory(
        fund_year=fund_year,
        estimated_cost=D(cost),
        state=ProjectState.ON_NOTICE,
        notice_started_on=date(2026, 3, 1),
        notice_ends_on=date(2026, 3, 7),
        **kwargs,
    )


def test_above_threshold_the_street_agrees_then_the_district_approves(
    street_officer, district_staff, secretary
):
    fund_year = FundYearFactory(community=secretary.community)
    project = on_notice(fund_year, cost="80000")
    # the street alone cannot approve, nor the district before the street
    with pytest.raises(PermissionDenied):
        step(street_officer, project, ProjectState.APPROVED)
    with pytest.raises(PermissionDenied):
        step(district_staff, project, ProjectState.APPROVED)
    project = step(street_officer, project, ProjectState.STREET_APPROVED)
    assert project.reserved == D("0.00")
    with pytest.raises(PermissionDenied):
        step(street_officer, project, ProjectState.APPROVED)
    project = step(district_staff, project, ProjectState.APPROVED)
    assert project.reserved == D("80000.00")
    assert [e.actor for e in project.events.order_by("id")][-2:] == [
        street_officer,
        district_staff,
    ]
    # at or below the threshold the street approves alone
    small = on_notice(fund_year, cost="50000")
    with pytest.raises(PermissionDenied):
        step(street_officer, small, ProjectState.STREET_APPROVED)
    with pytest.raises(PermissionDenied):
        step(district_staff, small, ProjectState.APPROVED)
    step(street_officer, small, ProjectState.APPROVED)


def test_district_approval_is_refused_when_it_would_overspend(
    street_officer, district_staff, secretary
):
    fund_year = FundYearFactory(community=secretary.community)
    project = step(
        street_officer, on_notice(fund_year, cost="80000"), ProjectState.STREET_APPROVED
    )
    approved_project(fund_year=fund_year, estimated_cost=D("150000"))
    with pytest.raises(ValidationError, match="不能批准"):
        step(district_staff, project, ProjectState.APPROVED)
    project = step(
        district_staff, project, ProjectState.REFUSED, comment="资金不足，明年再议"
    )
    assert project.state == ProjectState.REFUSED


def test_approval_that_would_overspend_is_refused(street_officer, secretary):
    fund_year = FundYearFactory(community=secretary.community)
    approved_project(fund_year=fund_year, estimated_cost=D("180000"))
    project = on_notice(fund_year, cost="30000")
    with pytest.raises(ValidationError, match=r"超过可用资金 20,000\.00 元"):
        step(street_officer, project, ProjectState.APPROVED)
    project.refresh_from_db()
    assert project.state == ProjectState.ON_NOTICE


def test_street_officer_acts_only_in_their_street(secretary):
    fund_year = FundYearFactory(community=secretary.community)
    project = on_notice(fund_year)
    stranger = UserFactory(role=Role.STREET_OFFICER, street=StreetFactory())
    with pytest.raises(PermissionDenied):
        step(stranger, project, ProjectState.APPROVED)


def test_auditor_changes_nothing(secretary):
    fund_year = FundYearFactory(community=secretary.community)
    auditor = UserFactory(role=Role.AUDITOR)
    project = on_notice(fund_year)
    for target in (ProjectState.APPROVED, ProjectState.REFUSED):
        with pytest.raises(PermissionDenied):
            step(auditor, project, target, comment="x")
    running = approved_project(fund_year=fund_year)
    with pytest.raises(PermissionDenied):
        services.expense_record(
            classification=services_bought(),
            actor=auditor,
            project=running,
            payee="x",
            paid_on=TODAY,
            amount=D("1"),
            description="x",
            files=[pdf()],
            today=TODAY,
        )
    with pytest.raises(PermissionDenied):
        services.fund_year_close(actor=auditor, fund_year=fund_year, today=TODAY)
    assert ProjectEvent.objects.count() == 0


def test_refusal_needs_a_reason_and_keeps_history(street_officer, secretary):
    fund_year = FundYearFactory(community=secretary.community)
    project = propose(secretary, fund_year)
    with pytest.raises(ValidationError):
        step(street_officer, project, ProjectState.REFUSED)
    step(street_officer, project, ProjectState.REFUSED, comment="与往年重复")
    project.refresh_from_db()
    assert project.state == ProjectState.REFUSED
    assert [e.to_state for e in project.events.all()] == ["proposed", "refused"]
    with pytest.raises(PermissionDenied):
        step(secretary, project, ProjectState.DISCUSSED)


# Spending ----------------------------------------------------------------------


def test_expense_needs_an_approved_project_and_a_receipt(secretary):
    fund_year = FundYearFactory(community=secretary.community)
    with pytest.raises(ValidationError, match="已批准"):
        services.expense_record(
            classification=services_bought(),
            actor=secretary,
            project=ProjectFactory(fund_year=fund_year),
            payee="x",
            paid_on=TODAY,
            amount=D("1"),
            description="x",
            files=[pdf()],
            today=TODAY,
        )
    with pytest.raises(ValidationError) as exc:
        services.expense_record(
            classification=services_bought(),
            actor=secretary,
            project=approved_project(fund_year=fund_year),
            payee="x",
            paid_on=TODAY,
            amount=D("1"),
            description="x",
            files=[],
            today=TODAY,
        )
    assert "票据" in exc.value.message_dict["files"][0]


def test_receipt_is_stored_privately_with_a_random_name(secretary, settings):
    project = approved_project(fund_year=FundYearFactory(community=secretary.community))
    expense, _warnings = services.expense_record(
        classification=services_bought(),
        actor=secretary,
        project=project,
        payee="某公司",
        paid_on=TODAY,
        amount=D("100"),
        description="物资",
        files=[pdf("../../x.pdf")],
        today=TODAY,
    )
    stored = StoredFile.objects.get(expense=expense)
    assert stored.name == "x.pdf"
    path = services.stored_file_path(stored)
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    assert root in path.parents
    assert path.read_bytes() == PDF
    assert ".." not in stored.path
    assert "x.pdf" not in stored.path


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("a.exe", b"MZ\x90\x00"), "不是允许的文件类型"),
        (SimpleUploadedFile("a.pdf", b"MZ\x90\x00"), "内容与文件类型不符"),
        (SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 3000), "大小限制"),
        (SimpleUploadedFile("../../etc/a.sh", b"#!/bin/sh"), "不是允许的文件类型"),
    ],
)
def test_bad_receipts_are_refused(secretary, upload, message, settings):
    FundPolicy.objects.update(max_receipt_bytes=2048)
    project = approved_project(fund_year=FundYearFactory(community=secretary.community))
    with pytest.raises(ValidationError) as exc:
        services.expense_record(
            classification=services_bought(),
            actor=secretary,
            project=project,
            payee="x",
            paid_on=TODAY,
            amount=D("1"),
            description="x",
            files=[upload],
            today=TODAY,
        )
    assert message in exc.value.message_dict["files"][0]
    assert not project.expenses.exists()
    assert not any(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.*"))

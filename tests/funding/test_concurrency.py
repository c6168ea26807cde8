"""Two approvals racing for the last money of one fund (needs PostgreSQL)."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core.models import Role
from funding import selectors, services
from funding.models import BudgetChange, CouncilMeeting, Project, ProjectState
from funding.reference import reference_data_ensure_current
from tests.factories import UserFactory
from tests.funding.factories import FundYearFactory, ProjectFactory, approved_project


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvals_that_together_overspend_only_one_succeeds():
    # given: 200,000 available and two projects of 150,000 each that the street
    # has agreed to after the notice; the district approves both at once
    reference_data_ensure_current()
    fund_year = FundYearFactory()
    officer = UserFactory(
        role=Role.DISTRICT_STAFF, district=fund_year.community.street.district
    )
    projects = [
        ProjectFactory(
            fund_year=fund_year,
            estimated_cost=Decimal("150000"),
            state=ProjectState.STREET_APPROVED,
            notice_started_on=date(2026, 3, 1),
            notice_ends_on=date(2026, 3, 7),
        )
        for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(project):
        try:
            barrier.wait(timeout=10)
            services.project_transition(
                actor=officer,
                project=project,
                to_state=ProjectState.APPROVED,
                today=date(2026, 3, 9),
            )
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=approve, args=(p,)) for p in projects]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then
    assert sorted(outcomes) == ["approved", "refused"]
    figures = selectors.fund_year_figures(fund_year)
    assert figures.committed == Decimal("150000.00")
    assert figures.available == Decimal("50000.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_budget_changes_that_together_overspend_only_one_succeeds():
    # given: 200,000 with 160,000 approved on two projects (80,000 each), so
    # 40,000 is available; each project asks for 30,000 more
    reference_data_ensure_current()
    fund_year = FundYearFactory()
    community = fund_year.community
    secretary = UserFactory(role=Role.SECRETARY, community=community)
    street = UserFactory(role=Role.STREET_OFFICER, street=community.street)
    changes = []
    for _ in range(2):
        project = approved_project(
            fund_year=fund_year,
            estimated_cost=Decimal("20000"),
            state=ProjectState.IN_PROGRESS,
        )
        Project.objects.filter(pk=project.pk).update(reserved=Decimal("80000"))
        project.refresh_from_db()
        changes.append(
            services.budget_change_propose(
                actor=secretary,
                project=project,
                new_amount=Decimal("110000"),
                reason="参与人数增加",
                held_on=date(2026, 5, 5),
                attendance=20,
                minutes="同意",
                result=CouncilMeeting.Result.PASSED,
                today=date(2026, 5, 6),
            )
        )
    # both above the district threshold would wait for the district; keep
    # them with the street so that the street's approval is the final one
    BudgetChange.objects.update(needs_district=False)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(change):
        try:
            barrier.wait(timeout=10)
            services.budget_change_approve(
                actor=street, change=change, today=date(2026, 5, 6)
            )
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=approve, args=(c,)) for c in changes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then
    assert sorted(outcomes) == ["approved", "refused"]
    reserved = sorted(
        Project.objects.filter(fund_year=fund_year).values_list("reserved", flat=True)
    )
    assert reserved == [Decimal("80000.00"), Decimal("110000.00")]
    figures = selectors.fund_year_figures(fund_year)
    assert figures.committed == Decimal("190000.00")
    assert figures.available == Decimal("10000.00")

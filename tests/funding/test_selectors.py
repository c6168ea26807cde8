"""Selectors of the fund: what waits for whom, oldest first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Role
from funding import selectors
from funding.models import ProjectState
from tests.factories import UserFactory
from tests.funding.factories import FundYearFactory, ProjectFactory

pytestmark = pytest.mark.usefixtures("fund_reference")


def test_officer_waiting_list_is_oldest_first_and_by_role():
    fund_year = FundYearFactory()
    now = timezone.now()
    newer = ProjectFactory(
        fund_year=fund_year,
        state=ProjectState.DISCUSSED,
        state_changed_at=now - timedelta(days=1),
    )
    older = ProjectFactory(
        fund_year=fund_year,
        state=ProjectState.DISCUSSED,
        state_changed_at=now - timedelta(days=5),
    )
    big = ProjectFactory(
        fund_year=fund_year,
        state=ProjectState.STREET_APPROVED,
        estimated_cost=80000,
        needs_district=True,
    )
    ProjectFactory(fund_year=fund_year, state=ProjectState.PROPOSED)
    street = UserFactory(role=Role.STREET_OFFICER, street=fund_year.community.street)
    district = UserFactory(
        role=Role.DISTRICT_STAFF, district=fund_year.community.street.district
    )
    today = timezone.localdate()

    waiting = selectors.projects_waiting_for(user=street, today=today)
    assert [i.project for i in waiting] == [older, newer]
    assert [
        i.project for i in selectors.projects_waiting_for(user=district, today=today)
    ] == [big]
    auditor = UserFactory(role=Role.AUDITOR)
    assert selectors.projects_waiting_for(user=auditor, today=today) == []


def test_next_step_names_the_role_and_the_action():
    project = ProjectFactory(state=ProjectState.ON_NOTICE, needs_district=True)
    assert selectors.next_step_label(project) == (
        "街道工作人员：公示期满，街道同意，报区级批准"
    )
    project.state = ProjectState.STREET_APPROVED
    assert selectors.next_step_label(project) == "区民政工作人员：区级批准"

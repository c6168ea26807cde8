"""Two approvals racing for the last money of one fund (needs PostgreSQL)."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core.models import Role
from funding import selectors, services
from funding.models import ProjectState
from funding.reference import reference_data_ensure_current
from tests.factories import UserFactory
from tests.funding.factories import FundYearFactory, ProjectFactory


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

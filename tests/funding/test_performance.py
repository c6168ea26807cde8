"""Report and desk pages at city scale: the number of queries does not grow
with communities, projects or expenses (no N+1)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Role
from funding.models import Expense, ProjectState
from tests.factories import (
    CommunityFactory,
    DistrictFactory,
    StreetFactory,
    UserFactory,
)
from tests.funding.factories import (
    FundYearFactory,
    ProjectFactory,
    approved_project,
    services_bought,
)

pytestmark = pytest.mark.usefixtures("fund_reference")

D = Decimal
YEAR = date.today().year  # noqa: DTZ011 - the desks show the current year


def build_city(communities: int, streets: list | None = None) -> list:
    """``communities`` communities over 2 districts and 4 streets, each with a
    fund year, an approved project with an expense and a pending project."""
    if streets is None:
        districts = [DistrictFactory() for _ in range(2)]
        streets = [StreetFactory(district=districts[i % 2]) for i in range(4)]
    recorder = UserFactory(role=Role.CITY_STAFF)
    years = []
    for i in range(communities):
        community = CommunityFactory(street=streets[i % 4])
        fund_year = FundYearFactory(community=community, year=YEAR)
        project = approved_project(fund_year=fund_year, estimated_cost=D("20000"))
        Expense.objects.create(
            classification=services_bought(),
            project=project,
            payee="某公司",
            paid_on=date(YEAR, 1, 2),
            amount=D("1000"),
            description="物资",
            recorded_by=recorder,
        )
        ProjectFactory(fund_year=fund_year, state=ProjectState.DISCUSSED)
        years.append(fund_year)
    return years


PAGES = [
    ("funding:report", {}),
    ("funding:report-export", {}),
    ("funding:desk", {}),
    ("funding:fund-year-list", {}),
    ("core:home", {}),
]


def count_queries(client, name) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.CITY_STAFF, Role.STREET_OFFICER, Role.AUDITOR])
@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_pages_do_not_grow_with_the_city(
    client, role, name, kwargs, django_assert_max_num_queries
):
    # given: a small city, measured
    years = build_city(4)
    street = years[0].community.street
    user = UserFactory(
        role=role, street=street if role == Role.STREET_OFFICER else None
    )
    client.force_login(user)
    small = count_queries(client, name)
    # when: the city grows by 50 communities, in the same streets
    build_city(50, streets=list({fy.community.street for fy in years}))
    # then: the same number of queries
    with django_assert_max_num_queries(small):
        assert client.get(reverse(name)).status_code == 200
    assert small <= 25


def test_secretary_desk_and_public_page_do_not_grow_with_projects(
    client, django_assert_max_num_queries
):
    fund_year = build_city(1)[0]
    secretary = UserFactory(role=Role.SECRETARY, community=fund_year.community)
    public = reverse("funding:public-community", args=[fund_year.community.code])
    client.force_login(secretary)
    desk_small = count_queries(client, "funding:desk")
    with CaptureQueriesContext(connection) as queries:
        client.get(public)
    public_small = len(queries)
    for _ in range(20):
        project = approved_project(fund_year=fund_year, estimated_cost=D("1000"))
        Expense.objects.create(
            classification=services_bought(),
            project=project,
            payee="某公司",
            paid_on=date(YEAR, 1, 2),
            amount=D("100"),
            description="物资",
            recorded_by=secretary,
        )
    with django_assert_max_num_queries(desk_small):
        assert client.get(reverse("funding:desk")).status_code == 200
    with django_assert_max_num_queries(public_small):
        assert client.get(public).status_code == 200


def test_officer_desk_shows_a_citys_communities_fifty_at_a_time(client):
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    years = sorted(
        (FundYearFactory(year=YEAR) for _ in range(53)),
        key=lambda fy: fy.community.code,
    )
    first = client.get(reverse("funding:desk")).content.decode()
    second = client.get(reverse("funding:desk") + "?page=2").content.decode()
    first_link = reverse("funding:fund-year-detail", args=[years[0].pk])
    last_link = reverse("funding:fund-year-detail", args=[years[52].pk])
    assert f'href="{first_link}"' in first
    assert f'href="{last_link}"' not in first
    assert f'href="{last_link}"' in second
    assert "1 / 2" in first

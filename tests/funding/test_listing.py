"""Fund pages at a city's size: pages of 50, filters, one community typed not
picked from hundreds, and reports that stay short for wide scopes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Role
from funding.models import FundYear
from tests.factories import CommunityFactory, StreetFactory, UserFactory
from tests.funding.factories import FundYearFactory

pytestmark = pytest.mark.django_db


def _years(count: int, streets: int = 4) -> list[FundYear]:
    street_rows = [StreetFactory() for _ in range(streets)]
    return [
        FundYearFactory(community=CommunityFactory(street=street_rows[i % streets]))
        for i in range(count)
    ]


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_fund_year_list_is_paged_and_its_queries_do_not_grow(client, fund_reference):
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    _years(5)
    small, _ = _queries(client, "/funding/years/")
    _years(70, streets=8)
    large, content = _queries(client, "/funding/years/?sort=community")
    assert large == small
    assert "1 / 2" in content
    assert (
        content.count('href="/funding/years/')
        - content.count('href="/funding/years/new/')
        - content.count('href="/funding/years/import/')
        == 50
    )


def test_fund_year_list_filters_by_community_name_and_status(client, fund_reference):
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    years = _years(6)
    wanted = years[2]
    content = client.get(
        "/funding/years/", {"q": wanted.community.name, "status": "open"}
    ).content.decode()
    assert f"/funding/years/{wanted.pk}/" in content
    assert f"/funding/years/{years[3].pk}/" not in content


def test_fund_year_is_created_for_a_community_typed_by_code(client, fund_reference):
    community = CommunityFactory()
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    form = client.get("/funding/years/new/").content.decode()
    assert "<select" not in form.split('name="community"')[0][-200:]
    response = client.post(
        "/funding/years/new/",
        {
            "community": community.code,
            "year": 2027,
            "allocation": "200000.00",
            "city_share": "100000.00",
            "district_share": "60000.00",
            "street_share": "40000.00",
        },
    )
    assert response.status_code == 302
    assert FundYear.objects.filter(community=community, year=2027).exists()


def test_fund_year_form_refuses_a_community_outside_the_scope(client, fund_reference):
    mine = CommunityFactory()
    elsewhere = CommunityFactory()
    client.force_login(
        UserFactory(role=Role.DISTRICT_STAFF, district=mine.street.district)
    )
    response = client.post(
        "/funding/years/new/",
        {
            "community": elsewhere.code,
            "year": 2027,
            "allocation": "200000.00",
            "city_share": "100000.00",
            "district_share": "60000.00",
            "street_share": "40000.00",
        },
    )
    assert response.status_code == 200
    assert "没有找到社区" in response.content.decode()
    assert not FundYear.objects.filter(community=elsewhere).exists()


def test_city_report_lists_areas_not_every_community(client, fund_reference):
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    years = _years(70, streets=8)
    content = client.get("/funding/report/").content.decode()
    assert 'id="communities-overspent"' in content
    assert years[0].community.name not in content.split('id="by-community"')[1]


def test_auditor_home_says_what_there_is_to_read_not_what_waits(client, fund_reference):
    _years(3)
    client.force_login(UserFactory(role=Role.AUDITOR))
    page = client.get("/").content.decode()
    assert "等待您办理" not in page
    assert "个资金年度可供查阅" in page


@pytest.mark.parametrize("role", [Role.FINANCE, Role.ADMIN])
def test_roles_with_no_step_on_projects_read_rather_than_wait(
    client, fund_reference, role
):
    _years(3)
    client.force_login(UserFactory(role=role))
    page = client.get("/").content.decode()
    assert "等待您办理" not in page
    assert "个资金年度可供查阅" in page


def test_the_street_officer_still_sees_what_waits(client, fund_reference):
    years = _years(3)
    client.force_login(
        UserFactory(role=Role.STREET_OFFICER, street=years[0].community.street)
    )
    page = client.get("/").content.decode()
    assert "个项目等待您办理" in page


def test_english_home_counts_in_the_singular_and_plural(client, fund_reference):
    from django.conf import settings

    years = _years(1)
    client.force_login(UserFactory(role=Role.SECRETARY, community=years[0].community))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/").content.decode()
    assert "1 community" in page
    assert "1 communities" not in page
    assert "0 projects waiting for you" in page
    assert "project(s)" not in page

"""Lists that grow with the city: pages of 50, sorting, and choosers that never
carry hundreds of options."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import CentreStandard, Role
from tests.factories import CommunityFactory, StreetFactory, UserFactory

pytestmark = pytest.mark.django_db


def _city(communities: int, streets: int = 5) -> list:
    street_rows = [StreetFactory() for _ in range(streets)]
    return [
        CommunityFactory(street=street_rows[i % streets], households=1000 + i)
        for i in range(communities)
    ]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_community_list_queries_do_not_grow_with_the_city(client):
    # given
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    _city(8)
    small = _queries(client, "/communities/")
    # when
    _city(130, streets=12)
    large = _queries(client, "/communities/?page=2&sort=-households")
    # then
    assert large == small


def test_community_list_shows_fifty_rows_a_page_sorted_and_filtered(client):
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    communities = _city(120)
    content = client.get("/communities/?sort=-households").content.decode()
    assert content.count("<tr><td>C") == 50
    largest = max(communities, key=lambda c: c.households)
    assert content.index(largest.code) < content.index("</tbody>")
    assert "1 / 3" in content
    # the pager keeps the sort
    assert "sort=-households&amp;page=2" in content


def test_community_list_filters_by_the_centre_standard(client):
    from datetime import date
    from decimal import Decimal

    client.force_login(UserFactory(role=Role.CITY_STAFF))
    CentreStandard.objects.create(
        effective_on=date(2020, 1, 1),
        area_per_100_households=Decimal(30),
        minimum_total_area=Decimal(600),
    )
    roomy = CommunityFactory(households=2000, centre_area=700)  # needs 600
    cramped = CommunityFactory(households=3000, centre_area=700)  # needs 900
    meets = client.get("/communities/?meets=yes").content.decode()
    fails = client.get("/communities/?meets=no").content.decode()
    assert roomy.code in meets
    assert cramped.code not in meets
    assert cramped.code in fails
    assert roomy.code not in fails


def test_worker_filter_offers_communities_only_once_a_street_narrows_them(client):
    # given a city of 130 communities in 12 streets
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    communities = _city(130, streets=12)
    # when no street is chosen
    content = client.get("/workers/").content.decode()
    community_select = re.search(
        r'<select name="community".*?</select>', content, re.S
    ).group(0)
    # then the community chooser waits for a street instead of listing 130
    assert community_select.count("<option") == 1
    assert "先选择街道" in community_select
    # when a street is chosen, only its communities are offered
    street = communities[0].street
    content = client.get(f"/workers/?street={street.code}").content.decode()
    community_select = re.search(
        r'<select name="community".*?</select>', content, re.S
    ).group(0)
    in_street = [c for c in communities if c.street_id == street.pk]
    assert community_select.count("<option") == len(in_street) + 1
    assert all(c.code in community_select for c in in_street)


def test_street_chooser_follows_the_chosen_district(client):
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    communities = _city(10, streets=5)
    district = communities[0].street.district
    content = client.get(f"/workers/?district={district.code}").content.decode()
    street_select = re.search(r'<select name="street".*?</select>', content, re.S)
    streets = {c.street for c in communities}
    for street in streets:
        shown = street.code in street_select.group(0)
        assert shown == (street.district_id == district.pk)


def test_roster_export_queries_do_not_grow_with_the_city(client):
    from tests.factories import WorkerFactory

    client.force_login(UserFactory(role=Role.CITY_STAFF))
    community = CommunityFactory()
    WorkerFactory.create_batch(3, community=community)
    small = _queries(client, "/roster/export/")
    # more workers than import-export's default page of 100 rows
    WorkerFactory.create_batch(150, community=community)
    large = _queries(client, "/roster/export/")
    assert large == small

"""Entering one grade, one star rating, and a community's grades for a year."""

import re

import pytest
from django.urls import reverse

from core.models import Role
from ratings.models import AnnualGrade, StarRating
from tests.factories import CommunityFactory, UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_staff(client):
    community = CommunityFactory()
    user = UserFactory(role=Role.DISTRICT_STAFF, district=community.street.district)
    client.force_login(user)
    return user, community


def test_record_one_grade_and_see_it_on_the_worker_page(client, district_staff):
    _user, community = district_staff
    worker = WorkerFactory(community=community)

    response = client.post(
        reverse("ratings:grade-record"),
        {"worker": worker.pk, "year": 2025, "grade": "excellent", "note": "表彰"},
    )

    assert response.status_code == 302
    assert AnnualGrade.objects.get(worker=worker, year=2025).grade == "excellent"
    page = client.get(reverse("core:worker-detail", args=[worker.pk])).content.decode()
    assert "ratings-panel" in page
    assert "优秀" in page


def test_a_worker_outside_the_scope_cannot_be_graded(client, district_staff):
    stranger = WorkerFactory()

    response = client.post(
        reverse("ratings:grade-record"),
        {"worker": stranger.pk, "year": 2025, "grade": "excellent"},
    )

    assert response.status_code == 200
    assert "worker" in response.context["form"].errors
    assert not AnnualGrade.objects.exists()


def test_record_one_star_rating_of_a_worker(client, district_staff):
    _user, community = district_staff
    worker = WorkerFactory(community=community)

    response = client.post(
        reverse("ratings:star-record"),
        {
            "worker": worker.pk,
            "stars": 3,
            "rated_on": "2025-06-01",
            "assessor": "区民政局",
        },
    )

    assert response.status_code == 302
    rating = StarRating.objects.get(worker=worker)
    assert rating.stars == 3


def test_a_star_rating_needs_exactly_one_subject(client, district_staff):
    _user, community = district_staff
    worker = WorkerFactory(community=community)

    response = client.post(
        reverse("ratings:star-record"),
        {
            "worker": worker.pk,
            "community": community.pk,
            "stars": 3,
            "rated_on": "2025-06-01",
        },
    )

    assert response.status_code == 200
    assert not StarRating.objects.exists()


def test_grid_lists_the_communitys_workers_and_saves_all(client, district_staff):
    _user, community = district_staff
    first, second, third = (WorkerFactory(community=community) for _ in range(3))
    AnnualGrade.objects.create(worker=third, year=2025, grade="pass")
    url = reverse("ratings:grade-grid") + f"?community={community.pk}&year=2025"

    page = client.get(url).content.decode()
    response = client.post(
        url,
        {
            f"grade-{first.pk}": "excellent",
            f"grade-{second.pk}": "",
            f"grade-{third.pk}": "basic_pass",
            f"note-{third.pk}": "更正",
        },
    )

    assert first.full_name in page
    assert f'name="grade-{third.pk}"' in page
    assert response.status_code == 302
    grades = dict(
        AnnualGrade.objects.filter(year=2025).values_list("worker_id", "grade")
    )
    assert grades == {first.pk: "excellent", third.pk: "basic_pass"}


def test_grid_saves_nothing_when_one_row_is_invalid(client, district_staff):
    _user, community = district_staff
    first, second = (WorkerFactory(community=community) for _ in range(2))
    url = reverse("ratings:grade-grid") + f"?community={community.pk}&year=2025"

    response = client.post(
        url, {f"grade-{first.pk}": "excellent", f"grade-{second.pk}": "great"}
    )

    assert response.status_code == 200
    assert "考核结果无效" in response.content.decode()
    assert not AnnualGrade.objects.exists()


def test_grid_offers_only_communities_in_scope(client, district_staff):
    stranger = CommunityFactory()

    response = client.get(
        reverse("ratings:grade-grid"), {"community": stranger.pk, "year": 2025}
    )

    assert response.context["rows"] == []
    assert "community" in response.context["choice"].errors


def test_street_officers_may_not_enter_grades(client):
    community = CommunityFactory()
    client.force_login(UserFactory(role=Role.STREET_OFFICER, street=community.street))

    assert client.get(reverse("ratings:grade-grid")).status_code == 403
    assert client.get(reverse("ratings:grade-record")).status_code == 403
    assert client.get(reverse("ratings:star-record")).status_code == 403


# In a district or a city the record forms do not list every worker: above
# CHOOSER_MAX_WORKERS the community is chosen first (issue 12).


@pytest.fixture
def crowded(client, district_staff, monkeypatch):
    """A district scope over the chooser's limit (lowered to 3 here)."""
    monkeypatch.setattr("ratings.views.CHOOSER_MAX_WORKERS", 3)
    monkeypatch.setattr("ratings.views.CHOOSER_MAX_COMMUNITIES", 1)
    _user, community = district_staff
    other = CommunityFactory(street=community.street)
    mine = [WorkerFactory(community=community) for _ in range(2)]
    theirs = [WorkerFactory(community=other) for _ in range(2)]
    return community, other, mine, theirs


def _star_page(client, query: str = "") -> str:
    return client.get(reverse("ratings:star-record") + query).content.decode()


def test_a_crowded_scope_chooses_the_community_before_the_worker(client, crowded):
    community, other, mine, theirs = crowded
    street = community.street

    unchosen = _star_page(client)
    chosen = _star_page(
        client,
        f"?district={street.district.code}&street={street.code}"
        f"&community={community.code}",
    )

    assert "请先选择社区" in unchosen
    assert not any(w.full_name in unchosen for w in mine + theirs)
    assert all(w.full_name in chosen for w in mine)
    assert not any(w.full_name in chosen for w in theirs)
    offered = re.search(
        r'<select name="community" id="id_community">(.*?)</select>', chosen, re.S
    )
    assert offered is not None
    assert f'<option value="{community.pk}">' in offered.group(1)
    assert f'<option value="{other.pk}">' not in offered.group(1)


def test_a_narrowed_form_still_accepts_anyone_in_scope(client, crowded):
    _community, _other, _mine, theirs = crowded

    response = client.post(
        reverse("ratings:grade-record"),
        {"worker": theirs[0].pk, "year": 2025, "grade": "excellent"},
    )

    assert response.status_code == 302
    assert AnnualGrade.objects.get(worker=theirs[0]).grade == "excellent"


def test_the_worker_link_offers_that_worker(client, crowded):
    _community, _other, mine, theirs = crowded

    page = client.get(
        reverse("ratings:grade-record") + f"?worker={theirs[1].pk}"
    ).content.decode()

    assert f'<option value="{theirs[1].pk}" selected>' in page
    assert mine[0].full_name not in page


def test_record_forms_queries_do_not_grow_with_the_scope(client, crowded):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    community, _other, _mine, _theirs = crowded
    street = community.street
    query = (
        f"?district={street.district.code}&street={street.code}"
        f"&community={community.code}"
    )
    counts = []
    for _size in range(2):
        with CaptureQueriesContext(connection) as captured:
            _star_page(client, query)
        counts.append(len(captured))
        for _ in range(5):
            WorkerFactory(community=CommunityFactory(street=street))
    assert counts[0] == counts[1]

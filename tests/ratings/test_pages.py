"""The grades and stars page: links, title, query counts."""

from __future__ import annotations

import pytest

from core.models import User
from ratings.models import StarRating

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.city(communities=4, workers_per_community=10, seed=3),
]


def test_grade_page_links_rated_workers_and_has_title(client, city):
    client.force_login(User.objects.get(username="city"))
    page = client.get("/ratings/grades/").content.decode()
    assert "<title>年度考核与星级 · " in page
    rating = StarRating.objects.filter(worker__isnull=False).first()
    if rating is not None:
        assert f'href="/workers/{rating.worker_id}/"' in page


def test_grade_page_does_not_query_per_row(client, city, django_assert_max_num_queries):
    client.force_login(User.objects.get(username="city"))
    with django_assert_max_num_queries(15):
        assert client.get("/ratings/grades/").status_code == 200


def test_english_grade_labels_do_not_look_like_codes(client, city, settings):
    client.force_login(User.objects.get(username="city"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/ratings/grades/").content.decode()
    grades = page.split('id="grades"')[1].split("</table>")[0]
    assert "<td>excellent</td>" not in grades
    assert "<td>pass</td>" not in grades
    assert "<td>Pass</td>" in grades or "<td>Excellent</td>" in grades

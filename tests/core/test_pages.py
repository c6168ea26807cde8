"""Core pages as users meet them: titles, layout hooks, query counts."""

from __future__ import annotations

import pytest

from core.models import User

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.city(communities=6, workers_per_community=12, seed=3),
]


def test_core_pages_have_their_own_titles(client, city):
    client.force_login(User.objects.get(username="city"))
    for url, title in [
        ("/", "<title>首页 · "),
        ("/workers/", "<title>社区工作者 · "),
        ("/communities/", "<title>社区 · "),
    ]:
        assert title in client.get(url).content.decode(), url


@pytest.mark.parametrize(
    "url", ["/", "/workers/", "/workers/?page=2&status=active", "/communities/"]
)
def test_core_lists_do_not_query_per_row(
    client, city, url, django_assert_max_num_queries
):
    client.force_login(User.objects.get(username="city"))
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_roster_preview_labels_the_columns_it_shows(client, city):
    from pathlib import Path

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (Path(settings.BASE_DIR) / "fixtures" / "sample_roster.csv").read_bytes()
    client.force_login(User.objects.get(username="admin"))
    page = client.post(
        "/roster/import/",
        {"file": SimpleUploadedFile("sample_roster.csv", content, "text/csv")},
    ).content.decode()
    assert '<span class="key">岗位代码</span> staff' in page
    assert "<title>导入花名册 · " in page


def test_navigation_marks_the_current_section(client, city):
    client.force_login(User.objects.get(username="city"))
    page = client.get("/workers/").content.decode()
    assert '<a href="/workers/" aria-current="page">' in page
    assert '<a href="/" aria-current="page">' not in page
    page = client.get("/payroll/cycles/").content.decode()
    assert '<a href="/payroll/cycles/" aria-current="page">' in page


def test_worker_history_shows_field_names_and_labels_not_codes(client, city):
    from core import history
    from core.models import Worker

    worker = Worker.objects.first()
    history.change_record(
        actor=User.objects.get(username="city"),
        instance=worker,
        action="update",
        changes={"education": ["bachelor", "master"], "level": [3, 4]},
    )
    client.force_login(User.objects.get(username="city"))
    page = client.get(f"/workers/{worker.pk}/").content.decode()
    assert "学历学位：学士 → 硕士" in page
    assert "bachelor" not in page
    assert "等级：3 → 4" in page


def test_worker_history_names_related_lists_by_label(client, city):
    from core import history
    from core.models import Worker

    worker = Worker.objects.first()
    history.change_record(
        actor=None,
        instance=worker,
        action="update",
        changes={
            "positions": [[], ["staff"]],
            "certificate:assistant": [None, "2021-10-16"],
        },
    )
    client.force_login(User.objects.get(username="city"))
    response = client.get(f"/workers/{worker.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "['staff']" not in page
    changes = page.split("变更记录")[1]
    assert "职务：— → 工作人员" in changes
    assert "certificate:assistant" not in changes
    assert "社工职业资格证书（助理社工师）：— → 2021-10-16" in changes


def test_worker_pager_keeps_filters_without_empty_parameters(client, city):
    client.force_login(User.objects.get(username="city"))
    page = client.get("/workers/").content.decode()
    assert 'href="?page=2"' in page
    page = client.get("/workers/?status=active").content.decode()
    assert 'href="?status=active&page=2"' in page

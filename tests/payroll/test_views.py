"""Pages of payroll: permissions, scope, the worker panel, indexation preview."""

from __future__ import annotations

from datetime import date

import pytest

from payroll.models import LevelChange, ScaleVersion
from tests.factories import CommunityFactory, UserFactory, WorkerFactory
from tests.payroll.factories import LevelChangeFactory, scale_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return scale_version()


def test_worker_page_shows_level_history_and_pay(client, version):
    worker = WorkerFactory(level=7)
    LevelChangeFactory(worker=worker, new_level=7, params={"service_years": "9"})
    client.force_login(UserFactory(role="city_staff"))
    page = client.get(f"/workers/{worker.pk}/?pay_month=2026-03").content.decode()
    assert 'id="level-history"' in page
    assert "定级" in page
    assert (
        "基本工资 = 标准工资 8,400.00 × 70% = 5,880.00（薪酬表 2020版，第7级）" in page
    )
    assert 'value="2026-03"' in page
    assert "8,400.00" in page


def test_worker_panel_month_outside_employment(client, version):
    worker = WorkerFactory(joined_on=date(2020, 1, 1))
    client.force_login(UserFactory(role="city_staff"))
    page = client.get(f"/workers/{worker.pk}/?pay_month=2019-05").content.decode()
    assert "该月不在岗" in page


def test_secretary_sees_only_her_community(client, version):
    own = WorkerFactory()
    other = WorkerFactory(community=CommunityFactory())
    secretary = UserFactory(role="secretary", community=own.community)
    client.force_login(secretary)
    assert client.get(f"/workers/{own.pk}/").status_code == 200
    assert client.get(f"/workers/{other.pk}/").status_code == 404
    assert client.get(f"/payroll/workers/{own.pk}/placement/").status_code == 403
    assert client.get("/payroll/scales/").status_code == 403


@pytest.mark.parametrize(
    ("role", "status"),
    [("city_staff", 200), ("finance", 200), ("auditor", 200), ("secretary", 403)],
)
def test_scale_pages_permissions(client, version, role, status):
    user = UserFactory(
        role=role, community=CommunityFactory() if role == "secretary" else None
    )
    client.force_login(user)
    assert client.get("/payroll/scales/").status_code == status
    assert client.get(f"/payroll/scales/{version.pk}/").status_code == status


def test_auditor_may_not_copy_or_import(client, version):
    client.force_login(UserFactory(role="auditor"))
    response = client.post(
        f"/payroll/scales/{version.pk}/copy/",
        {"code": "2021", "effective_on": "2021-01-01", "mode": "copy"},
    )
    assert response.status_code == 403
    assert (
        client.get(f"/payroll/scales/{version.pk}/import/level_pays/").status_code
        == 403
    )


def test_index_then_preview_cost_per_district(client, version):
    worker = WorkerFactory(level=7)
    WorkerFactory(level=1, community=CommunityFactory())
    client.force_login(UserFactory(role="city_staff"))
    response = client.post(
        f"/payroll/scales/{version.pk}/copy/",
        {"code": "2021", "effective_on": "2021-01-01", "mode": "index"},
    )
    new = ScaleVersion.objects.get(code="2021")
    assert response["Location"] == f"/payroll/scales/{new.pk}/"
    page = client.get(f"/payroll/scales/{new.pk}/indexation/").content.decode()
    assert worker.community.street.district.name in page
    # 12 × (8,400 → 8,736) + 12 × (6,600 → 6,864)
    assert "180,000.00" in page
    assert "187,200.00" in page
    xlsx = client.get(f"/payroll/scales/{new.pk}/indexation/?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_adopt_from_page(client):
    draft = scale_version(status="draft")
    client.force_login(UserFactory(role="finance"))
    client.post(f"/payroll/scales/{draft.pk}/adopt/")
    draft.refresh_from_db()
    assert draft.status == "adopted"


def test_placement_page_records_with_breakdown(client, version):
    worker = WorkerFactory()
    user = UserFactory(role="district_staff", district=worker.community.street.district)
    client.force_login(user)
    page = client.get(f"/payroll/workers/{worker.pk}/placement/").content.decode()
    assert 'id="placement-breakdown"' in page
    response = client.post(
        f"/payroll/workers/{worker.pk}/placement/", {"on": "2024-03-01"}
    )
    assert response.status_code == 302
    change = LevelChange.objects.get(worker=worker)
    assert change.actor == user
    assert change.params["service_years"] == "9"


def test_placement_override_without_reason_is_refused(client, version):
    worker = WorkerFactory()
    client.force_login(UserFactory(role="city_staff"))
    page = client.post(
        f"/payroll/workers/{worker.pk}/placement/",
        {"on": "2024-03-01", "override_level": "9"},
    )
    assert page.status_code == 200
    assert "书面理由" in page.content.decode()
    assert not LevelChange.objects.exists()


def test_scale_import_page_previews(client):
    draft = scale_version(status="draft")
    client.force_login(UserFactory(role="city_staff"))
    page = client.get(f"/payroll/scales/{draft.pk}/import/level_pays/")
    assert page.status_code == 200


def test_level_import_page_permissions(client, version):
    worker = WorkerFactory()
    district = UserFactory(
        role="district_staff", district=worker.community.street.district
    )
    client.force_login(district)
    assert client.get("/payroll/levels/import/").status_code == 200
    assert "导入等级记录" in client.get("/payroll/scales/").content.decode()
    client.force_login(UserFactory(role="secretary", community=worker.community))
    assert client.get("/payroll/levels/import/").status_code == 403


def test_worker_panel_without_any_scale(client):
    worker = WorkerFactory()
    client.force_login(UserFactory(role="city_staff"))
    page = client.get(f"/workers/{worker.pk}/").content.decode()
    assert "没有可用的薪酬表版本" in page

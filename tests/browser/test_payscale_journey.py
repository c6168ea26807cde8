"""Staff read a worker's level history and this month's pay with its
derivation; a secretary sees only her own community's workers."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from tests.factories import CommunityFactory, UserFactory, WorkerFactory
from tests.payroll.factories import LevelChangeFactory, scale_version

pytestmark = pytest.mark.browser


@pytest.fixture
def two_communities(transactional_db):
    scale_version()
    own = CommunityFactory(name="清扬社区")
    other = CommunityFactory(name="蠡湖社区")
    worker = WorkerFactory(full_name="王晓梅", community=own, level=7)
    LevelChangeFactory(
        worker=worker,
        new_level=7,
        params={
            "service_years": "9",
            "education_years": "3",
            "certificate_levels": "2",
            "carried_years": "0",
        },
        computed_level=7,
    )
    stranger = WorkerFactory(full_name="赵建国", community=other)
    UserFactory(username="staff1", role="city_staff")
    UserFactory(username="sec1", role="secretary", community=own)
    return {"worker": worker, "stranger": stranger}


def test_staff_see_level_history_and_pay_derivation(page, two_communities):
    worker = two_communities["worker"]
    login(page, "staff1")
    page.goto(f"{page.base_url}/workers/{worker.pk}/")
    history = page.locator("#level-history")
    assert "定级" in history.inner_text()
    assert "计算等级 7" in history.inner_text()
    basic = page.locator('#pay-lines tr[data-code="basic"]')
    assert "基本工资 = 标准工资 8,400.00 × 70% = 5,880.00" in basic.inner_text()
    assert page.locator("#pay-gross").inner_text() == "8,400.00"
    page.fill("#pay_month", "2026-03")
    page.click("#pay-panel form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "pay_month=2026-03" in page.url
    assert "5,880.00" in page.locator("#pay-lines").inner_text()


def test_secretary_sees_only_her_community(page, two_communities):
    login(page, "sec1")
    page.goto(f"{page.base_url}/workers/")
    listing = page.locator("main").inner_text()
    assert "王晓梅" in listing
    assert "赵建国" not in listing
    response = page.goto(f"{page.base_url}/workers/{two_communities['stranger'].pk}/")
    assert response.status == 404
    page.goto(f"{page.base_url}/workers/{two_communities['worker'].pk}/")
    assert "基本工资" in page.locator("#pay-lines").inner_text()

"""The staff's daily work through the pages, on a desk and on a phone."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from core.models import District, Street, User
from payroll.cycles.services import payroll_cycle_start
from tests.browser.conftest import login
from tests.factories import make_id_number

PASSWORD = "Demo@2026"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(transactional_db):
    call_command(
        "seed_demo",
        "--communities",
        "30",
        "--workers-per-community",
        "4",
        "--seed",
        "3",
    )


@pytest.fixture
def cycle(demo):
    cycle = payroll_cycle_start(
        year=2026, month=3, actor=User.objects.get(username="finance")
    )
    cycle.refresh_from_db()
    assert cycle.status == "computed", cycle.error
    return cycle


def _fits(page) -> tuple[int, int]:
    return page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


@pytest.mark.browser
def test_city_staff_add_a_worker_and_see_level_and_pay(page, demo):
    login(page, "city", PASSWORD)
    page.goto(f"{page.base_url}/workers/new/")
    page.fill("#id_full_name", "浏览器新人")
    page.fill("#id_id_number", make_id_number(date(1990, 1, 2)))
    page.select_option("#id_community", index=1)
    page.select_option("#id_post", label="其他工作人员")
    page.fill("#id_started_on", "2012-09-01")
    page.select_option("#id_education", "master")
    page.fill("#id_joined_on", "2026-03-01")
    page.check("input[name=positions][value=staff]")
    page.click("button[value=preview]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".errorlist").count() == 0, page.inner_text("#worker-form")

    breakdown = page.inner_text("#placement-preview")
    assert "级" in breakdown
    assert page.input_value("#id_level") != ""
    gross = page.inner_text("#preview-gross")
    assert gross.replace(",", "").replace(".", "").isdigit()

    page.click("button[value=save]")
    page.wait_for_load_state("networkidle")
    assert "/workers/" in page.url
    assert page.inner_text("h1").startswith("浏览器新人")


@pytest.mark.browser
def test_admin_creates_a_street_officer_only_within_her_district(page, demo):
    home, other = District.objects.order_by("code")[:2]
    own_street = Street.objects.filter(district=home).first()
    foreign_street = Street.objects.filter(district=other).first()
    login(page, "admin", PASSWORD)
    page.goto(f"{page.base_url}/users/new/")
    page.fill("#id_username", "street-new")
    page.fill("#id_first_name", "新街道干部")
    page.select_option("#id_role", "street_officer")
    page.select_option("#id_district", str(home.pk))

    foreign = page.locator(f"#id_street option[value='{foreign_street.pk}']")
    assert foreign.is_disabled()
    page.select_option("#id_street", str(own_street.pk))
    page.click("#user-form button[type=submit]")
    page.wait_for_load_state("networkidle")

    created = User.objects.get(username="street-new")
    assert created.street == own_street
    assert created.district == home
    assert "/password/" in page.url

    # A forged form with a foreign street is refused by the server.
    page.goto(f"{page.base_url}/users/{created.pk}/")
    page.evaluate(
        "id => { const o = document.querySelector(`#id_street option[value='${id}']`);"
        " o.disabled = false; o.hidden = false; o.selected = true; }",
        str(foreign_street.pk),
    )
    page.click("#user-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "该街道不属于所选的区。" in page.content()
    created.refresh_from_db()
    assert created.street == own_street


@pytest.mark.browser
def test_district_staff_open_the_city_cycle(page, cycle):
    login(page, "district", PASSWORD)
    page.goto(f"{page.base_url}/payroll/cycles/")
    page.click(f"a[href='/payroll/cycles/{cycle.pk}/']")
    page.wait_for_load_state("networkidle")

    assert page.is_visible("#cycle-part")
    assert page.locator("#payslips tbody tr").count() > 0


@pytest.mark.browser
def test_secretary_opening_a_colleagues_payslip_gets_the_reason(page, cycle):
    secretary = User.objects.get(username="secretary")
    colleague = (
        cycle.payslips.filter(community=secretary.community)
        .exclude(worker_id=secretary.worker_id)
        .first()
    )
    login(page, "secretary", PASSWORD)
    response = page.goto(f"{page.base_url}/payroll/payslips/{colleague.pk}/")

    assert response.status == 403
    assert page.is_visible("header.top")
    assert "不能查看其他工作人员的工资单" in page.inner_text(".error-page")
    assert page.is_visible(".error-page a.btn")


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/funding/report/", "payslip", "cycle", "/workers/"])
def test_pages_fit_a_phone(page, cycle, path):
    payslip = cycle.payslips.first()
    url = {
        "payslip": f"/payroll/payslips/{payslip.pk}/",
        "cycle": f"/payroll/cycles/{cycle.pk}/",
    }.get(path, path)
    page.set_viewport_size(PHONE)
    login(page, "finance", PASSWORD)
    if path == "payslip":  # English item names are the longest
        page.context.add_cookies(
            [{"name": "django_language", "value": "en", "url": page.base_url}]
        )
    page.goto(f"{page.base_url}{url}")
    page.wait_for_load_state("networkidle")

    scroll, client = _fits(page)
    assert scroll <= 390, (url, scroll, client)
    if path == "payslip":
        # Item names wrap so each line's amount is on screen without scrolling.
        right = page.evaluate(
            "Math.max(...Array.from(document.querySelectorAll("
            "'main table tbody td.num')).map(c => c.getBoundingClientRect().right))"
        )
        assert right <= 390, right
    # The menu collapses behind one button and opens on a tap.
    assert not page.is_visible("#main-nav")
    page.click("label.menu-button")
    assert page.is_visible("#main-nav")

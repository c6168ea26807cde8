"""The admin's side doors: the same scope and role permissions as the app."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.history import change_record
from core.models import ChangeLog, Role
from tests.factories import CommunityFactory, StreetFactory, UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_districts():
    street_a = StreetFactory()
    street_b = StreetFactory()
    return {
        "street_a": street_a,
        "street_b": street_b,
        "a": CommunityFactory(street=street_a),
        "b": CommunityFactory(street=street_b),
    }


def _district_user(client, district):
    user = UserFactory(role=Role.DISTRICT_STAFF, district=district)
    client.force_login(user)
    return user


def test_anonymous_admin_login_page_answers_200(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200


def test_district_user_cannot_move_community_to_another_district(client, two_districts):
    community = two_districts["a"]
    _district_user(client, two_districts["street_a"].district)
    url = reverse("admin:core_community_change", args=[community.pk])

    page = client.get(url)
    assert page.status_code == 200
    offered = {
        str(c.pk) for c in page.context["adminform"].form.fields["street"].queryset
    }
    assert offered == {str(two_districts["street_a"].pk)}

    response = client.post(
        url,
        {
            "code": community.code,
            "name": community.name,
            "street": two_districts["street_b"].pk,
            "households": community.households,
            "centre_area": community.centre_area or "",
        },
    )
    assert response.status_code == 200  # the form comes back with an error
    assert "street" in response.context["adminform"].form.errors
    community.refresh_from_db()
    assert community.street == two_districts["street_a"]


def test_change_log_admin_lists_only_records_in_scope(client, two_districts):
    own = WorkerFactory(community=two_districts["a"])
    other = WorkerFactory(community=two_districts["b"])
    for worker in (own, other):
        change_record(
            actor=None,
            instance=worker,
            action=ChangeLog.Action.UPDATE,
            changes={"phone": ["1", "2"]},
        )
    _district_user(client, two_districts["street_a"].district)

    response = client.get(reverse("admin:core_changelog_changelist"))

    assert response.status_code == 200
    listed = {entry.object_id for entry in response.context["cl"].result_list}
    assert listed == {str(own.pk)}


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:core_worker_changelist",
        "admin:core_changelog_changelist",
        "admin:core_community_changelist",
    ],
)
def test_nul_byte_in_a_search_box_answers_400(client, url_name):
    client.force_login(UserFactory(role=Role.CITY_STAFF, is_staff=True))
    response = client.get(reverse(url_name), {"q": "a\x00b"})
    assert response.status_code == 400


def test_nul_byte_in_a_posted_form_answers_400(client):
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    response = client.post(reverse("core:worker-list"), {"text": "x\x00"})
    assert response.status_code == 400


def test_oversized_request_refused_before_reading_the_body(client, settings):
    settings.MAX_REQUEST_BODY_SIZE = 1024
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    response = client.generic(
        "POST",
        reverse("core:worker-list"),
        data=b"x" * 2048,
        content_type="application/octet-stream",
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "model", ["yearendbonus", "taxdeclaration", "contributionbase"]
)
def test_admin_payroll_import_refused_for_district_staff(client, two_districts, model):
    _district_user(client, two_districts["street_a"].district)
    url = reverse(f"admin:payroll_{model}_import")

    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_admin_payroll_import_open_to_finance(client):
    client.force_login(UserFactory(role=Role.FINANCE, is_staff=True))
    assert client.get(reverse("admin:payroll_yearendbonus_import")).status_code == 200


def test_admin_export_needs_the_view_permission(client, two_districts):
    _district_user(client, two_districts["street_a"].district)
    url = reverse("admin:payroll_yearendbonus_export")
    assert client.get(url).status_code == 403


def test_cycle_admin_lists_only_the_users_district(client, two_districts):
    from payroll.models import PayrollCycle

    own = PayrollCycle.objects.create(
        year=2026, month=3, district=two_districts["street_a"].district
    )
    other = PayrollCycle.objects.create(
        year=2026, month=3, district=two_districts["street_b"].district
    )
    _district_user(client, two_districts["street_a"].district)

    response = client.get(reverse("admin:payroll_payrollcycle_changelist"))

    assert {c.pk for c in response.context["cl"].result_list} == {own.pk}
    outside = client.get(reverse("admin:payroll_payrollcycle_change", args=[other.pk]))
    assert outside.status_code == 403


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:payroll_payrollcycle_changelist",
        "admin:payroll_annuityaccount_changelist",
        "admin:payroll_payslip_changelist",
    ],
)
def test_nul_in_payroll_admin_search_answers_400(client, url_name):
    client.force_login(UserFactory(role=Role.FINANCE, is_staff=True))
    assert client.get(reverse(url_name), {"q": "\x00"}).status_code == 400

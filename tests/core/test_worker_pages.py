"""Adding, editing and ending a worker's employment in the app."""

from datetime import date

import pytest
from django.urls import reverse

from core import clock
from core.models import ChangeLog, Role, Worker
from tests.factories import (
    CommunityFactory,
    PostFactory,
    UserFactory,
    WorkerFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_staff(client):
    community = CommunityFactory()
    user = UserFactory(role=Role.DISTRICT_STAFF, district=community.street.district)
    client.force_login(user)
    return user, community


def _new_worker(community, post, **extra):
    data = {
        "full_name": "新人甲",
        "id_number": make_id_number(date(1992, 3, 4)),
        "community": community.pk,
        "post": post.pk,
        "level": "",
        "started_on": "2016-09-01",
        "education": "master",
        "joined_on": "2020-09-01",
        "bank_name": "中国银行",
        "bank_account": "6216600000000001",
        "phone": "",
        "positions": ["staff"],
        "certificate": "assistant",
        "certificate_on": "2019-06-01",
    }
    data.update(extra)
    return data


def test_preview_keeps_nothing_and_save_adds_the_worker(client, district_staff):
    _user, community = district_staff
    post = PostFactory(code="staff")
    data = _new_worker(community, post)

    preview = client.post(reverse("core:worker-create"), {**data, "action": "preview"})

    assert preview.status_code == 200
    assert preview.context["previewed"] is True
    assert not Worker.objects.filter(full_name="新人甲").exists()
    assert not ChangeLog.objects.exists()
    assert 'value="save"' in preview.content.decode()

    saved = client.post(reverse("core:worker-create"), {**data, "action": "save"})

    worker = Worker.objects.get(full_name="新人甲")
    assert saved.status_code == 302
    assert saved["Location"] == reverse("core:worker-detail", args=[worker.pk])
    assert set(worker.positions.values_list("position", flat=True)) == {"staff"}
    assert worker.positions.get().started_on == date(2020, 9, 1)
    assert worker.certificates.get().kind == "assistant"
    assert worker.level >= post.lowest_level


def test_a_community_outside_the_scope_is_refused(client, district_staff):
    elsewhere = CommunityFactory()
    data = _new_worker(elsewhere, PostFactory(code="staff"))

    response = client.post(reverse("core:worker-create"), {**data, "action": "save"})

    assert response.status_code == 200
    assert "community" in response.context["form"].errors
    assert not Worker.objects.filter(full_name="新人甲").exists()


@pytest.mark.parametrize(
    "role", [Role.SECRETARY, Role.STREET_OFFICER, Role.FINANCE, Role.AUDITOR]
)
def test_roles_that_do_not_keep_the_roster_are_refused_with_the_reason(client, role):
    worker = WorkerFactory()
    scope = {
        Role.SECRETARY: {"community": worker.community},
        Role.STREET_OFFICER: {"street": worker.community.street},
    }.get(role, {})
    client.force_login(UserFactory(role=role, **scope))

    for url in (
        reverse("core:worker-create"),
        reverse("core:worker-edit", args=[worker.pk]),
        reverse("core:worker-leave", args=[worker.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "您的角色不能修改人员信息。" in response.content.decode()


def test_district_staff_cannot_edit_a_worker_of_another_district(
    client, district_staff
):
    other = WorkerFactory()

    assert client.get(reverse("core:worker-edit", args=[other.pk])).status_code == 404


def test_edit_keeps_the_bank_account_from_roles_that_may_not_read_it(
    client, district_staff
):
    _user, community = district_staff
    worker = WorkerFactory(community=community)

    page = client.get(reverse("core:worker-edit", args=[worker.pk])).content.decode()

    assert worker.bank_account not in page
    assert 'name="bank_account"' not in page


def test_edit_saves_a_new_phone_and_records_it(client, district_staff):
    _user, community = district_staff
    worker = WorkerFactory(community=community)
    data = {
        "full_name": worker.full_name,
        "id_number": worker.id_number,
        "community": community.pk,
        "post": worker.post.pk,
        "level": worker.level,
        "started_on": worker.started_on.isoformat(),
        "education": worker.education,
        "joined_on": worker.joined_on.isoformat(),
        "bank_name": worker.bank_name,
        "phone": "13900000000",
        "action": "save",
    }

    response = client.post(reverse("core:worker-edit", args=[worker.pk]), data)

    worker.refresh_from_db()
    assert response.status_code == 302
    assert worker.phone == "13900000000"
    assert worker.bank_account == "6222020000001234567"
    entry = ChangeLog.objects.filter(object_id=str(worker.pk)).latest("at")
    assert "phone" in entry.changes


def test_ending_an_employment_shows_its_effect_then_records_it(client, district_staff):
    _user, community = district_staff
    worker = WorkerFactory(community=community)
    left_on = clock.today().replace(day=1)
    data = {"left_on": left_on.isoformat(), "reason": "resigned", "note": "个人原因"}

    preview = client.post(
        reverse("core:worker-leave", args=[worker.pk]), {**data, "action": "preview"}
    )
    worker.refresh_from_db()
    assert preview.status_code == 200
    assert "离职当月的工资按在岗天数折算" in preview.content.decode()
    assert worker.status == Worker.Status.ACTIVE

    done = client.post(
        reverse("core:worker-leave", args=[worker.pk]), {**data, "action": "save"}
    )

    worker.refresh_from_db()
    assert done.status_code == 302
    assert worker.status == Worker.Status.LEFT
    assert worker.left_on == left_on
    entry = ChangeLog.objects.filter(object_id=str(worker.pk)).latest("at")
    assert entry.note == "辞职：个人原因"


def test_a_leave_date_in_the_future_is_refused(client, district_staff):
    _user, community = district_staff
    worker = WorkerFactory(community=community)

    response = client.post(
        reverse("core:worker-leave", args=[worker.pk]),
        {"left_on": "2999-01-01", "reason": "retired", "action": "save"},
    )

    worker.refresh_from_db()
    assert response.status_code == 200
    assert worker.status == Worker.Status.ACTIVE


def test_worker_filter_offers_the_streets_and_communities_of_her_scope(
    client, district_staff
):
    """The filters follow the scope and each other (decided on the server:
    core.forms.ScopeChooserForm; tests/core/test_listing.py covers a city)."""
    _user, community = district_staff
    street = community.street

    page = client.get(
        reverse("core:worker-list"), {"street": street.code}
    ).content.decode()

    assert f'<option value="{street.code}" selected>' in page
    assert f'<option value="{community.code}">' in page


def test_a_city_types_the_workers_community_instead_of_a_drop_down(
    client, district_staff, monkeypatch
):
    # above the chooser's limit (lowered to 1 here) the community is typed
    monkeypatch.setattr("core.worker_forms.CHOOSER_MAX_COMMUNITIES", 1)
    _user, community = district_staff
    CommunityFactory(street=community.street)
    post = PostFactory(code="staff")

    page = client.get(reverse("core:worker-create")).content.decode()
    saved = client.post(
        reverse("core:worker-create"),
        {**_new_worker(community, post), "community": community.code, "action": "save"},
    )

    assert '<select name="community"' not in page
    assert 'name="community"' in page
    assert saved.status_code == 302
    assert Worker.objects.get(full_name="新人甲").community == community

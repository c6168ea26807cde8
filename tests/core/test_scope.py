"""Who sees what: the selectors, the app's pages and the admin."""

import pytest
from django.urls import reverse

from core.models import ChangeLog, Role
from core.selectors import (
    community_list_visible_to,
    worker_list_visible_to,
)
from core.services import user_save
from tests.factories import CommunityFactory, StreetFactory, UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_districts():
    """Two districts; district A has two streets; one worker per community."""
    street_a1 = StreetFactory()
    street_a2 = StreetFactory(district=street_a1.district)
    street_b = StreetFactory()
    communities = {
        "a1": CommunityFactory(street=street_a1),
        "a1b": CommunityFactory(street=street_a1),
        "a2": CommunityFactory(street=street_a2),
        "b": CommunityFactory(street=street_b),
    }
    workers = {key: WorkerFactory(community=c) for key, c in communities.items()}
    return communities, workers


@pytest.mark.parametrize(
    ("role", "scope", "visible"),
    [
        (Role.CITY_STAFF, None, {"a1", "a1b", "a2", "b"}),
        (Role.ADMIN, None, {"a1", "a1b", "a2", "b"}),
        (Role.FINANCE, None, {"a1", "a1b", "a2", "b"}),
        (Role.AUDITOR, None, {"a1", "a1b", "a2", "b"}),
        (Role.DISTRICT_STAFF, "district", {"a1", "a1b", "a2"}),
        (Role.FINANCE, "district", {"a1", "a1b", "a2"}),
        (Role.AUDITOR, "street", {"a1", "a1b"}),
        (Role.STREET_OFFICER, "street", {"a1", "a1b"}),
        (Role.SECRETARY, "community", {"a1"}),
    ],
)
def test_each_role_sees_only_its_scope(two_districts, role, scope, visible):
    communities, workers = two_districts
    home = communities["a1"]
    scope_kwargs = {
        None: {},
        "district": {"district": home.street.district},
        "street": {"street": home.street},
        "community": {"community": home},
    }[scope]
    user = UserFactory(role=role, **scope_kwargs)

    seen_workers = set(worker_list_visible_to(user=user))
    seen_communities = set(community_list_visible_to(user=user))

    assert seen_workers == {workers[k] for k in visible}
    assert seen_communities == {communities[k] for k in visible}


def test_inactive_user_and_scopeless_secretary_see_nothing(two_districts):
    inactive = UserFactory(role=Role.CITY_STAFF, is_active=False)
    scopeless = UserFactory(role=Role.SECRETARY)

    assert not worker_list_visible_to(user=inactive).exists()
    assert not worker_list_visible_to(user=scopeless).exists()


def test_secretary_gets_404_for_another_communitys_worker(client, two_districts):
    communities, workers = two_districts
    secretary = UserFactory(role=Role.SECRETARY, community=communities["a1"])
    client.force_login(secretary)

    own = client.get(reverse("core:worker-detail", args=[workers["a1"].pk]))
    other = client.get(reverse("core:worker-detail", args=[workers["a1b"].pk]))

    assert own.status_code == 200
    assert other.status_code == 404


def test_secretary_gets_403_for_another_communitys_worker_in_the_admin(
    client, two_districts
):
    communities, workers = two_districts
    secretary = UserFactory(
        role=Role.SECRETARY, community=communities["a1"], is_staff=True
    )
    client.force_login(secretary)

    own = client.get(reverse("admin:core_worker_change", args=[workers["a1"].pk]))
    other = client.get(reverse("admin:core_worker_change", args=[workers["b"].pk]))
    listing = client.get(reverse("admin:core_worker_changelist"))

    assert own.status_code == 200
    assert other.status_code == 403
    assert workers["b"].full_name not in listing.content.decode()


def test_plain_secretary_cannot_open_the_admin(client, two_districts):
    communities, workers = two_districts
    client.force_login(UserFactory(role=Role.SECRETARY, community=communities["a1"]))

    response = client.get(reverse("admin:core_worker_change", args=[workers["a1"].pk]))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_district_staff_list_shows_only_their_district(
    client, two_districts, django_assert_max_num_queries
):
    communities, workers = two_districts
    client.force_login(
        UserFactory(
            role=Role.DISTRICT_STAFF, district=communities["a1"].street.district
        )
    )

    # the list, its filters (district -> street -> community) and the
    # workforce chart: a constant number of queries
    with django_assert_max_num_queries(13):
        response = client.get(reverse("core:worker-list"))

    names = {row["worker"].full_name for row in response.context["rows"]}
    assert names == {workers[k].full_name for k in ("a1", "a1b", "a2")}
    admin_list = client.get(reverse("admin:core_worker_changelist"))
    assert workers["b"].full_name not in admin_list.content.decode()
    assert workers["a2"].full_name in admin_list.content.decode()


def test_worker_list_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries
):
    community = CommunityFactory()
    for _ in range(30):
        WorkerFactory(community=community)
    client.force_login(UserFactory(role=Role.CITY_STAFF))

    with django_assert_max_num_queries(13):
        response = client.get(reverse("core:worker-list"), {"q": "工作者"})

    assert len(response.context["rows"]) == 30


@pytest.mark.parametrize(
    ("role", "full_id", "full_bank"),
    [
        (Role.ADMIN, True, True),
        (Role.FINANCE, True, True),
        (Role.CITY_STAFF, True, False),
        (Role.DISTRICT_STAFF, True, False),
        (Role.STREET_OFFICER, False, False),
        (Role.SECRETARY, False, False),
        (Role.AUDITOR, False, False),
    ],
)
def test_id_numbers_and_bank_accounts_are_masked_per_role(
    client, two_districts, role, full_id, full_bank
):
    _communities, workers = two_districts
    worker = workers["a1"]
    scope = {
        Role.DISTRICT_STAFF: {"district": worker.community.street.district},
        Role.STREET_OFFICER: {"street": worker.community.street},
        Role.SECRETARY: {"community": worker.community},
    }.get(role, {})
    client.force_login(UserFactory(role=role, **scope))

    page = client.get(reverse("core:worker-detail", args=[worker.pk])).content.decode()
    listing = client.get(reverse("core:worker-list")).content.decode()

    assert (worker.id_number in page) is full_id
    assert (worker.id_number in listing) is full_id
    assert (worker.bank_account in page) is full_bank
    assert worker.id_number[-4:] in page
    assert worker.bank_account[-4:] in page


def test_role_and_scope_changes_are_kept_in_history(two_districts):
    communities, _workers = two_districts
    admin = UserFactory(role=Role.ADMIN, is_superuser=True)
    user = UserFactory(role=Role.SECRETARY, community=communities["a1"])

    user.community = communities["a2"]
    user_save(actor=admin, user=user, note="调任")

    entry = ChangeLog.objects.get(model="core.user", object_id=str(user.pk))
    assert entry.actor == admin
    assert entry.changes["community"] == [
        str(communities["a1"]),
        str(communities["a2"]),
    ]
    assert entry.note == "调任"


def test_only_administrators_change_users(two_districts):
    from django.core.exceptions import PermissionDenied

    city_staff = UserFactory(role=Role.CITY_STAFF)
    user = UserFactory(role=Role.AUDITOR)
    user.role = Role.CITY_STAFF

    with pytest.raises(PermissionDenied):
        user_save(actor=city_staff, user=user)


def test_worker_changes_are_kept_in_history_with_masked_accounts(client, two_districts):
    from core.services import worker_save

    _communities, workers = two_districts
    worker = workers["a1"]
    editor = UserFactory(
        role=Role.DISTRICT_STAFF, district=worker.community.street.district
    )

    worker.bank_account = "6222020000009999888"
    worker.level = 2
    worker_save(actor=editor, worker=worker)

    entry = ChangeLog.objects.filter(object_id=str(worker.pk)).first()
    assert entry.actor == editor
    assert entry.changes["level"] == [1, 2]
    assert entry.changes["bank_account"] == [
        "***************4567",
        "***************9888",
    ]
    client.force_login(UserFactory(role=Role.SECRETARY, community=worker.community))
    page = client.get(reverse("core:worker-detail", args=[worker.pk])).content.decode()
    assert "***************9888" in page
    assert "6222020000009999888" not in page


def test_worker_edit_outside_scope_is_refused(two_districts):
    from django.core.exceptions import PermissionDenied

    from core.services import worker_save

    communities, workers = two_districts
    editor = UserFactory(
        role=Role.DISTRICT_STAFF, district=communities["b"].street.district
    )

    with pytest.raises(PermissionDenied):
        worker_save(actor=editor, worker=workers["a1"])

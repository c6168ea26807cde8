"""Administrators manage users in the app; nobody else opens these pages."""

import pytest
from django.urls import reverse

from core.models import ChangeLog, Role, User
from tests.factories import CommunityFactory, StreetFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client):
    user = UserFactory(role=Role.ADMIN)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "role",
    [
        Role.CITY_STAFF,
        Role.DISTRICT_STAFF,
        Role.FINANCE,
        Role.STREET_OFFICER,
        Role.SECRETARY,
        Role.AUDITOR,
    ],
)
def test_only_administrators_open_the_user_pages(client, role):
    community = CommunityFactory()
    scope = {
        Role.DISTRICT_STAFF: {"district": community.street.district},
        Role.STREET_OFFICER: {"street": community.street},
        Role.SECRETARY: {"community": community},
    }.get(role, {})
    user = UserFactory(role=role, **scope)
    client.force_login(user)

    for url in (
        reverse("core:user-list"),
        reverse("core:user-create"),
        reverse("core:user-edit", args=[user.pk]),
        reverse("core:user-password", args=[user.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "只有系统管理员可以管理用户。" in response.content.decode()


def test_list_shows_names_roles_and_scopes(client, administrator):
    community = CommunityFactory()
    UserFactory(
        username="sec1", first_name="王书记", role=Role.SECRETARY, community=community
    )

    page = client.get(reverse("core:user-list"), {"role": "secretary"}).content.decode()

    assert "王书记" in page
    assert "社区书记" in page
    assert community.name in page


def test_create_a_street_officer_fills_the_district(client, administrator):
    street = StreetFactory()

    response = client.post(
        reverse("core:user-create"),
        {
            "username": "street9",
            "first_name": "李街道",
            "role": Role.STREET_OFFICER,
            "street": street.pk,
            "is_active": "on",
        },
    )

    created = User.objects.get(username="street9")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:user-password", args=[created.pk])
    assert created.first_name == "李街道"
    assert created.district == street.district
    assert created.street == street
    assert not created.has_usable_password()
    assert ChangeLog.objects.filter(
        model="core.user", object_id=str(created.pk)
    ).exists()


def test_a_street_outside_the_district_is_refused_on_the_page(client, administrator):
    street = StreetFactory()
    elsewhere = StreetFactory()

    response = client.post(
        reverse("core:user-create"),
        {
            "username": "street10",
            "first_name": "赵街道",
            "role": Role.STREET_OFFICER,
            "district": street.district.pk,
            "street": elsewhere.pk,
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "该街道不属于所选的区。" in response.content.decode()
    assert not User.objects.filter(username="street10").exists()


def test_the_street_options_name_their_district(client, administrator):
    street = StreetFactory()

    page = client.get(reverse("core:user-create")).content.decode()

    assert f'value="{street.pk}" data-parent="{street.district_id}"' in page
    assert "core/scope.js" in page


def test_deactivate_and_reset_the_password(client, administrator):
    user = UserFactory(role=Role.AUDITOR, first_name="审计甲")

    client.post(
        reverse("core:user-edit", args=[user.pk]),
        {"username": user.username, "first_name": "审计甲", "role": Role.AUDITOR},
    )
    response = client.post(
        reverse("core:user-password", args=[user.pk]),
        {"new_password1": "Qw7!zmx8Lp", "new_password2": "Qw7!zmx8Lp"},
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.is_active is False
    assert user.check_password("Qw7!zmx8Lp")
    notes = set(
        ChangeLog.objects.filter(object_id=str(user.pk)).values_list("note", flat=True)
    )
    assert "重设密码" in notes
    assert "Qw7!zmx8Lp" not in str(
        list(ChangeLog.objects.values_list("changes", flat=True))
    )

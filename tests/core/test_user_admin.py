"""The admin's user form: name, a nested scope, no groups or permissions;
the change log names models as users know them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import ChangeLog, Role, User
from core.services import user_save
from tests.factories import CommunityFactory, StreetFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client):
    user = UserFactory(role=Role.ADMIN, is_staff=True)
    client.force_login(user)
    return user


def test_a_street_outside_the_district_is_refused():
    street = StreetFactory()
    elsewhere = StreetFactory()
    user = User(
        username="li",
        role=Role.STREET_OFFICER,
        district=street.district,
        street=elsewhere,
    )

    with pytest.raises(ValidationError) as error:
        user.full_clean(exclude=["password"])

    assert "street" in error.value.message_dict


def test_a_community_outside_the_street_is_refused():
    community = CommunityFactory()
    user = User(
        username="wang",
        role=Role.SECRETARY,
        street=StreetFactory(),
        community=community,
    )

    with pytest.raises(ValidationError) as error:
        user.full_clean(exclude=["password"])

    assert "community" in error.value.message_dict


def test_district_staff_may_not_be_narrowed_to_a_street():
    street = StreetFactory()
    user = User(
        username="zhao",
        role=Role.DISTRICT_STAFF,
        district=street.district,
        street=street,
    )

    with pytest.raises(ValidationError) as error:
        user.full_clean(exclude=["password"])

    assert "street" in error.value.message_dict


def test_admin_add_form_asks_for_the_name_and_refuses_a_foreign_street(
    client, administrator
):
    street = StreetFactory()
    elsewhere = StreetFactory()

    response = client.post(
        reverse("admin:core_user_add"),
        {
            "username": "street1",
            "first_name": "李街道",
            "password1": "Xk9#mPq2v!",
            "password2": "Xk9#mPq2v!",
            "role": Role.STREET_OFFICER,
            "district": street.district.pk,
            "street": elsewhere.pk,
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "该街道不属于所选的区。" in page
    assert not User.objects.filter(username="street1").exists()
    assert "姓名" in page


def test_admin_user_form_offers_no_groups_or_permissions(client, administrator):
    page = client.get(
        reverse("admin:core_user_change", args=[administrator.pk])
    ).content.decode()

    assert 'name="groups"' not in page
    assert 'name="user_permissions"' not in page
    assert 'name="is_superuser"' not in page
    assert 'name="first_name"' in page


def test_change_log_names_the_model_by_its_verbose_name(client, administrator):
    user = UserFactory(role=Role.AUDITOR)
    user.first_name = "新名字"
    user.role = Role.FINANCE
    user_save(actor=administrator, user=user)
    entry = ChangeLog.objects.get(model="core.user")
    client.force_login(UserFactory(role=Role.CITY_STAFF, is_staff=True))

    listing = client.get(reverse("admin:core_changelog_changelist")).content.decode()
    detail = client.get(
        reverse("admin:core_changelog_change", args=[entry.pk])
    ).content.decode()

    assert entry.model_verbose_name == "用户"
    assert ">core.user<" not in listing
    assert '<td class="field-model_name">用户</td>' in listing
    assert "角色" in detail
    assert "财务人员" in detail
    assert '{"role"' not in detail

import pytest
from django.conf import settings
from django.urls import reverse

from core.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_interface_is_chinese_by_default(client):
    client.force_login(UserFactory(role=Role.CITY_STAFF))

    page = client.get(reverse("core:worker-list")).content.decode()

    assert "社区工作者" in page
    assert 'lang="zh-hans"' in page


def test_interface_switches_to_english(client):
    client.force_login(UserFactory(role=Role.CITY_STAFF))

    response = client.post(
        reverse("set_language"),
        {"language": "en", "next": reverse("core:worker-list")},
        follow=True,
    )

    page = response.content.decode()
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Community workers" in page
    assert "No matching workers." in page


def test_browser_language_does_not_switch_the_interface(client):
    client.force_login(UserFactory(role=Role.CITY_STAFF))

    page = client.get(
        reverse("core:worker-list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()

    assert 'lang="zh-hans"' in page
    assert "社区工作者" in page

"""Error pages: the site's layout, the user's language, the reason, a way back."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse

from core import errors
from core.models import Role
from tests.factories import CommunityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(client):
    user = UserFactory(role=Role.SECRETARY, community=CommunityFactory())
    client.force_login(user)
    return user


def test_403_keeps_the_reason_in_the_layout(client, secretary):
    response = client.get(
        reverse("core:roster-export"), HTTP_REFERER="http://testserver/workers/"
    )

    page = response.content.decode()
    assert response.status_code == 403
    assert "您没有权限执行此操作" in page
    assert "您的角色不能导入或导出花名册。" in page
    assert 'class="top"' in page  # the site's header and menu
    assert 'href="http://testserver/workers/"' in page  # back where she came from
    assert f'href="{reverse("core:home")}"' in page


def test_403_speaks_the_users_language(client, secretary):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("core:roster-export")).content.decode()

    assert "You are not allowed to do this" in page
    assert "Your role cannot import or export rosters." in page
    assert 'lang="en"' in page


def test_a_referer_from_another_site_is_not_offered_as_the_way_back(client, secretary):
    page = client.get(
        reverse("core:roster-export"), HTTP_REFERER="https://evil.example/"
    ).content.decode()

    assert "evil.example" not in page


def test_404_is_styled_and_hides_the_developer_message(client, secretary):
    response = client.get(reverse("core:worker-detail", args=[999999]))

    page = response.content.decode()
    assert response.status_code == 404
    assert "找不到页面" in page
    assert "No Worker matches" not in page
    assert 'class="top"' in page


def test_404_for_an_anonymous_visitor_offers_the_login(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert reverse("login") in response.content.decode()


def test_400_for_a_bad_host_is_styled(client):
    response = client.get(reverse("login"), HTTP_HOST="bad host name")

    assert response.status_code == 400
    assert "请求无法处理" in response.content.decode()


def test_csrf_failure_says_what_to_do(secretary):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(reverse("logout"))

    page = response.content.decode()
    assert response.status_code == 403
    assert "The form has expired" in page
    assert "CSRF" not in page


def test_500_renders_in_the_layout_without_a_user():
    request = RequestFactory().get("/")

    response = errors.server_error(request)

    assert response.status_code == 500
    assert "系统出错了" in response.content.decode()


def test_exception_reason_reads_the_message_only():
    assert errors.exception_reason(PermissionDenied("不在范围内。")) == "不在范围内。"
    assert errors.exception_reason(PermissionDenied()) == ""
    assert errors.exception_reason(None) == ""

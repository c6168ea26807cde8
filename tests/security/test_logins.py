"""Logins: lockout after repeated failures, logs, idle timeout, password policy
and two-factor for the roles that handle money, users and audits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Test-123"


def _login(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_sixth_wrong_password_is_locked_out_and_logged(client):
    user = UserFactory(username="zhang", role=Role.FINANCE)
    for _attempt in range(4):
        assert _login(client, "zhang", "wrong").status_code == 200
    assert _login(client, "zhang", "wrong").status_code == 429  # the 5th locks
    locked = _login(client, "zhang", PASSWORD)

    assert locked.status_code == 429
    assert "已被暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessFailureLog.objects.filter(username="zhang").count() >= 5
    assert AccessAttempt.objects.filter(username="zhang").exists()
    assert user.is_active


def test_lockout_is_per_address_too(client):
    UserFactory(username="li")
    for number in range(5):
        _login(client, f"nobody{number}", "wrong", address="10.0.0.9")
    assert _login(client, "li", PASSWORD, address="10.0.0.9").status_code == 429
    assert _login(client, "li", PASSWORD, address="10.0.0.10").status_code == 302


def test_lockout_message_in_english(client):
    UserFactory(username="wang")
    client.cookies["django_language"] = "en"
    for _attempt in range(5):
        _login(client, "wang", "wrong")
    text = _login(client, "wang", "wrong").content.decode()
    assert "temporarily locked" in text


def test_successful_login_is_logged_and_administrator_can_unlock(client):
    UserFactory(username="zhao")
    for _attempt in range(5):
        _login(client, "zhao", "wrong")
    attempt = AccessAttempt.objects.get(username="zhao")

    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    client.logout()

    assert _login(client, "zhao", PASSWORD).status_code == 302
    assert AccessLog.objects.filter(username="zhao").exists()


def test_idle_session_expires_and_activity_extends_it(client, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    UserFactory(username="sun", role=Role.CITY_STAFF)
    _login(client, "sun", PASSWORD)
    home = reverse("core:home")
    session = Session.objects.get()
    session.expire_date = timezone.now() + timedelta(minutes=1)
    session.save()

    assert client.get(home).status_code == 200
    extended = Session.objects.get().expire_date
    assert extended > timezone.now() + timedelta(minutes=29)

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("password", ["Ab3$efgh", "password123", "1234567890"])
def test_weak_passwords_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_long_uncommon_password_accepted():
    validate_password("Qiu-lan-Road-88")


def _token(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_two_factor_off_lets_finance_in_with_a_password(client, settings):
    settings.TWO_FACTOR_REQUIRED = False
    UserFactory(username="finance1", role=Role.FINANCE)
    _login(client, "finance1", PASSWORD)
    assert client.get(reverse("core:home")).status_code == 200


def test_two_factor_enrolment_recovery_codes_and_verification(client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    user = UserFactory(username="finance2", role=Role.FINANCE)
    _login(client, "finance2", PASSWORD)

    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor-setup"))
    setup = client.get(reverse("twofactor-setup"))
    assert "data:image/svg+xml" in setup.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    shown = client.post(reverse("twofactor-setup"), {"token": _token(device)})
    codes = shown.context["codes"]
    assert len(codes) == 10
    assert client.get(reverse("core:home")).status_code == 200

    # The next login asks for the second factor; a recovery code works once.
    client.logout()
    _login(client, "finance2", PASSWORD)
    response = client.get(reverse("core:home"))
    assert response["Location"].startswith(reverse("twofactor-verify"))
    client.post(reverse("twofactor-verify"), {"token": codes[0]})
    assert client.get(reverse("core:home")).status_code == 200
    client.logout()
    _login(client, "finance2", PASSWORD)
    client.post(reverse("twofactor-verify"), {"token": codes[0]})
    assert client.get(reverse("core:home")).status_code == 302


def test_two_factor_not_asked_of_roles_outside_the_list(client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    UserFactory(username="city1", role=Role.CITY_STAFF)
    _login(client, "city1", PASSWORD)
    assert client.get(reverse("core:home")).status_code == 200


def test_two_factor_required_in_production_settings_by_default():
    import subprocess
    import sys

    code = (
        "import django, os;"
        "os.environ['DJANGO_DEBUG']='false';"
        "os.environ['DJANGO_SECRET_KEY']='x'*50;"
        "os.environ.pop('DJANGO_TWO_FACTOR_REQUIRED', None);"
        "os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "from django.conf import settings;"
        "print(settings.TWO_FACTOR_REQUIRED)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "True"


def test_two_factor_wrong_code_refused(client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    UserFactory(username="auditor1", role=Role.AUDITOR)
    _login(client, "auditor1", PASSWORD)
    client.get(reverse("twofactor-setup"))
    device = TOTPDevice.objects.get(confirmed=False)
    wrong = "000000" if _token(device) != "000000" else "111111"
    response = client.post(reverse("twofactor-setup"), {"token": wrong})
    assert "验证码不正确" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302

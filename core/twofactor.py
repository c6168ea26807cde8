"""Two-factor login (TOTP, django-otp) for administrators, finance staff and auditors.

With ``TWO_FACTOR_REQUIRED`` on, a user of one of ``TWO_FACTOR_ROLES`` who has
signed in with a password reaches nothing but the enrolment page (no device
yet) or the verification page (a confirmed device) until a code from the
authenticator app, or one of the ten recovery codes, is entered.
"""

from __future__ import annotations

import secrets
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"
# Pages a signed-in user may open before the second factor.
OPEN_URL_NAMES = ("twofactor-setup", "twofactor-verify", "logout", "set_language")


def two_factor_required_for(user: Any) -> bool:
    return bool(
        settings.TWO_FACTOR_REQUIRED
        and getattr(user, "is_authenticated", False)
        and getattr(user, "role", "") in settings.TWO_FACTOR_ROLES
    )


def is_verified(user: Any) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


class TwoFactorRequiredMiddleware:
    """Send an unverified user of a two-factor role to enrol or verify."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if two_factor_required_for(user) and not is_verified(user):
            open_paths = {reverse(name) for name in OPEN_URL_NAMES}
            static = "/" + settings.STATIC_URL.lstrip("/")
            if request.path not in open_paths and not request.path.startswith(static):
                target = (
                    "twofactor-verify"
                    if user_has_device(user, confirmed=True)
                    else "twofactor-setup"
                )
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


def pending_totp_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled (a new secret if there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, confirmed=False
        )
    return device


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG image (no script needed)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5)


@transaction.atomic
def totp_enrol_confirm(*, request: Any, device: TOTPDevice, token: str) -> list[str]:
    """Confirm ``device`` with a first code; replace the user's other devices
    and recovery codes; sign the session in as verified. Returns the new
    recovery codes (shown once) or [] when the code is wrong."""
    if not device.verify_token(token.strip()):
        return []
    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_renew(user)
    otp_login(request, device)
    return codes


def recovery_codes_renew(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    codes = [secrets.token_hex(4) for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in codes
    )
    return codes


def verify(*, request: Any, token: str) -> bool:
    """Accept an authenticator code or an unused recovery code."""
    device = match_token(request.user, token.strip())
    if device is None:
        return False
    otp_login(request, device)
    return True

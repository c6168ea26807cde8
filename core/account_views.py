"""Two-factor enrolment and verification pages (core.twofactor does the work)."""

from __future__ import annotations

from base64 import b32encode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core import twofactor


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_required
def twofactor_setup(request: HttpRequest) -> HttpResponse:
    """Scan a QR code, enter the first code, note the recovery codes once."""
    if not twofactor.is_verified(request.user) and twofactor.user_has_device(
        request.user, confirmed=True
    ):
        # Re-enrolling needs the current second factor first.
        return redirect(f"{reverse('twofactor-verify')}?next={request.path}")
    device = twofactor.pending_totp_device(request.user)
    error = ""
    if request.method == "POST":
        codes = twofactor.totp_enrol_confirm(
            request=request, device=device, token=request.POST.get("token", "")
        )
        if codes:
            return render(
                request,
                "registration/twofactor_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        error = _("验证码不正确，请重新输入手机上显示的6位数字。")
    return render(
        request,
        "registration/twofactor_setup.html",
        {
            "qr": twofactor.qr_code_data_uri(device),
            "secret": b32encode(device.bin_key).decode(),
            "error": error,
            "next": _next_url(request),
        },
    )


@login_required
def twofactor_verify(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        if twofactor.verify(request=request, token=request.POST.get("token", "")):
            return redirect(_next_url(request))
        error = _("验证码不正确或已使用。")
    return render(
        request,
        "registration/twofactor_verify.html",
        {"error": error, "next": _next_url(request)},
    )


def login_locked_out(request: HttpRequest, original_response=None, credentials=None):
    """What a locked-out login sees (AXES_LOCKOUT_CALLABLE): 429 and a message
    saying for how long, and that an administrator can unlock."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )

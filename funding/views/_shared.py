"""Helpers shared by the fund pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from funding import selectors

CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def error_messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc) or _("没有权限。")]


def add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def require_fund_admin(request: HttpRequest) -> None:
    if not selectors.user_administers_funds(request.user):
        raise PermissionDenied(_("您的角色不能设置或结算资金年度。"))

"""Helpers shared by the fund pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.http import AuthenticatedHttpRequest
from funding import selectors
from funding.models import Project
from funding.services._common import require_secretary

Saved = TypeVar("Saved")

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


def secretary_project(request: AuthenticatedHttpRequest, pk: int) -> Project:
    """A project the user sees, whose community's secretary she is (forms are
    only shown to who may send them; the services check again)."""
    project = get_object_or_404(
        selectors.project_list_visible_to(user=request.user), pk=pk
    )
    require_secretary(request.user, project.fund_year.community_id)
    return project


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    save: Callable[[dict[str, Any]], Saved],
    saved: Callable[[Saved], HttpResponse],
    template: str,
    context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """A form page: a posted, valid form goes to ``save`` (a service) and then
    to ``saved`` (the response); a refusal is shown on the form's fields."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        else:
            return saved(result)
    return render(request, template, {"form": form, **context()})


def to_project(request: HttpRequest, pk: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("funding:project-detail", pk=pk)

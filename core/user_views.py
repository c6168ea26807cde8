"""Administrators manage users in the app: name, role, scope, activation and
password. Permissions follow the role; there is nothing else to grant."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core import history, services
from core.http import AuthenticatedHttpRequest
from core.models import User
from core.user_forms import UserFilterForm, UserForm


def _require_user_admin(request: AuthenticatedHttpRequest) -> None:
    user = request.user
    if not (user.is_superuser or user.role == "admin"):
        raise PermissionDenied(services.USER_ADMIN_ONLY)


@login_required
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_user_admin(request)
    form = UserFilterForm(request.GET or None)
    users = User.objects.select_related("district", "street", "community").order_by(
        "role", "username"
    )
    if form.is_valid():
        text = form.cleaned_data["q"].strip()
        if text:
            users = users.filter(
                Q(username__icontains=text) | Q(first_name__icontains=text)
            )
        if form.cleaned_data["role"]:
            users = users.filter(role=form.cleaned_data["role"])
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/user_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _user_form_page(
    request: AuthenticatedHttpRequest, user: User | None
) -> HttpResponse:
    form = UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = form.save(commit=False)
            if user is None:
                saved.set_unusable_password()
            saved = services.user_save(actor=request.user, user=saved)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("用户已保存。"))
            if user is None:
                messages.info(request, _("请为新用户设置初始密码。"))
                return redirect("core:user-password", pk=saved.pk)
            return redirect("core:user-edit", pk=saved.pk)
    entries = (
        [
            (entry, history.labelled_changes(User, entry.changes))
            for entry in history.history_for(user)[:50]
        ]
        if user is not None
        else []
    )
    return render(
        request,
        "core/user_form.html",
        {"form": form, "edited": user, "history": entries},
    )


@login_required
def user_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_user_admin(request)
    return _user_form_page(request, None)


@login_required
def user_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_user_admin(request)
    return _user_form_page(request, get_object_or_404(User, pk=pk))


@login_required
def user_password(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_user_admin(request)
    user = get_object_or_404(User, pk=pk)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_password_set(
            actor=request.user, user=user, password=form.cleaned_data["new_password1"]
        )
        messages.success(request, _("密码已重设，请告知用户并请其登录后修改。"))
        return redirect("core:user-edit", pk=user.pk)
    return render(request, "core/user_password.html", {"form": form, "edited": user})

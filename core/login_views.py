"""Pages for workers' logins: staff issue them, a login changes its password."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import exports
from core.forms import OwnPasswordChangeForm, WorkerLoginIssueForm
from core.logins import IssuedLogin, user_password_changed, worker_login_issue
from core.logins import worker_logins_issue as issue_many
from core.selectors import (
    community_list_visible_to,
    user_can_issue_worker_logins,
    user_is_worker,
    worker_list_visible_to,
    worker_list_without_login,
)

# The one-time passwords just issued, kept in the session until downloaded
# once or replaced by the next issue: they are never stored anywhere else.
ISSUED_SESSION_KEY = "issued_worker_logins"


def _require_issuer(request: HttpRequest) -> None:
    if not user_can_issue_worker_logins(request.user):
        raise PermissionDenied(_("您的角色不能为社区工作者开通账号。"))


def _remember(request: HttpRequest, issued: list[IssuedLogin]) -> list[dict[str, Any]]:
    rows = [
        {
            "worker_id": login.worker.pk,
            "name": login.worker.full_name,
            "community": login.worker.community.name,
            "username": login.username,
            "password": login.password,
            "is_new": login.is_new,
        }
        for login in issued
    ]
    request.session[ISSUED_SESSION_KEY] = rows
    return rows


@login_required
def worker_logins(request: HttpRequest) -> HttpResponse:
    """Issue logins for a community or the whole roster in scope; the
    one-time passwords are shown once, and downloadable once."""
    _require_issuer(request)
    communities = community_list_visible_to(user=request.user)
    form = WorkerLoginIssueForm(request.POST or None, communities=communities)
    rows: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        workers = worker_list_without_login(worker_list_visible_to(user=request.user))
        if not form.cleaned_data["everyone"]:
            workers = workers.filter(community=form.cleaned_data["community"])
        rows = _remember(request, issue_many(actor=request.user, workers=workers))
        if not rows:
            messages.info(request, _("所选范围内的社区工作者都已有账号。"))
    else:
        request.session.pop(ISSUED_SESSION_KEY, None)
    in_scope = worker_list_visible_to(user=request.user).exclude(status="left")
    return render(
        request,
        "core/worker_logins.html",
        {
            "form": form,
            "rows": rows,
            "with_login": in_scope.filter(user__isnull=False).count(),
            "without_login": worker_list_without_login(in_scope).count(),
        },
    )


@login_required
@require_POST
def worker_login_issue_one(request: HttpRequest, pk: int) -> HttpResponse:
    """One worker's login from her page; ``reset`` gives a new one-time password."""
    _require_issuer(request)
    worker = get_object_or_404(worker_list_visible_to(user=request.user), pk=pk)
    try:
        issued = worker_login_issue(
            actor=request.user, worker=worker, reset=bool(request.POST.get("reset"))
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("core:worker-detail", pk=pk)
    rows = _remember(request, [issued])
    return render(
        request,
        "core/worker_logins.html",
        {"form": None, "rows": rows, "worker": worker},
    )


@login_required
def worker_logins_download(request: HttpRequest) -> HttpResponse:
    """The one-time passwords just issued as xlsx, once."""
    _require_issuer(request)
    rows = request.session.pop(ISSUED_SESSION_KEY, None)
    if not rows:
        raise Http404(_("没有待下载的一次性密码；密码只能下载一次。"))
    workbook = exports.workbook_from_rows(
        "一次性密码",
        ["社区", "姓名", "登录名", "一次性密码"],
        [[r["community"], r["name"], r["username"], r["password"]] for r in rows],
    )
    return exports.xlsx_download(
        request,
        workbook,
        "社区工作者账号.xlsx",
        what=_("一次性密码 %(count)s 人") % {"count": len(rows)},
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, with the one-time password spent on success."""

    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        user_password_changed(user=form.user)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    def get(self, request, *args, **kwargs):
        # A worker goes straight to her own pages.
        if user_is_worker(request.user):
            messages.success(request, _("密码已修改。"))
            return redirect("selfservice:home")
        return super().get(request, *args, **kwargs)

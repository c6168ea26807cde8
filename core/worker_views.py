"""Adding and editing a worker, and ending an employment, in the app.

Before anything is saved the page shows what the change does: the apps'
previews (the placement the rule proposes, the first month's pay; the last
payslip and the annuity on leaving) are computed on the change saved inside a
savepoint that is always rolled back.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock, extensions, services
from core.http import AuthenticatedHttpRequest
from core.models import Worker
from core.selectors import (
    community_list_visible_to,
    user_can_edit_roster,
    user_sees_full_bank,
    worker_list_visible_to,
)
from core.worker_forms import WorkerForm, WorkerLeaveForm


class _Rollback(Exception):
    """Raised to leave a preview's savepoint without keeping anything."""


def _require_editor(request: AuthenticatedHttpRequest) -> None:
    if not user_can_edit_roster(request.user):
        raise PermissionDenied(_("您的角色不能修改人员信息。"))


LEVEL_REASON_NEEDED = gettext_lazy(
    "填写的等级与定级规则计算的不同：请写明理由（随等级记录保存）。"
)


def _level_flag(worker: Worker, data: dict[str, Any]) -> extensions.LevelFlag | None:
    """The placement rule's word on the level, when this save sets one (a
    new worker, or a level or post that changes)."""
    if worker.post_id is None or not worker.level:
        return None
    if worker.pk is not None:
        stored = Worker.objects.filter(pk=worker.pk).values_list("level", "post_id")
        if stored.first() == (worker.level, worker.post_id):
            return None
    certificates: list[tuple[str, Any]] = (
        [(c.kind, c.obtained_on) for c in worker.certificates.all()]
        if worker.pk
        else []
    )
    if data.get("certificate"):
        certificates.append((data["certificate"], data.get("certificate_on")))
    return extensions.level_checker(worker_ids=[worker.pk] if worker.pk else ())(
        extensions.LevelFacts(
            worker_id=worker.pk,
            post=worker.post,
            level=worker.level,
            started_on=worker.started_on,
            joined_on=worker.joined_on,
            education=worker.education,
            certificates=tuple(certificates),
        )
    )


def _save_parts(
    *, actor: Any, worker: Worker, data: dict[str, Any], saving: bool = False
) -> Worker:
    is_new = worker.pk is None
    flag = _level_flag(worker, data)
    reason = (data.get("level_reason") or "").strip()
    if saving and flag is not None and not reason:
        raise ValidationError({"level_reason": LEVEL_REASON_NEEDED})
    services.worker_save(
        actor=actor, worker=worker, level_flag=flag, level_reason=reason
    )
    services.worker_positions_set(
        actor=actor,
        worker=worker,
        positions=set(data.get("positions") or ()),
        # A new worker holds her positions from joining; a change, from today.
        on=worker.joined_on if is_new else max(worker.joined_on, clock.today()),
    )
    if data.get("certificate"):
        services.worker_certificate_record(
            actor=actor,
            worker=worker,
            kind=data["certificate"],
            obtained_on=data["certificate_on"],
        )
    return worker


def _render_previews(
    request: AuthenticatedHttpRequest, previews: list[Any]
) -> list[str]:
    return [
        mark_safe(render_to_string(p.template, {"preview": p.context}, request=request))
        for p in previews
    ]


def _preview(
    request: AuthenticatedHttpRequest,
    worker: Worker,
    data: dict[str, Any],
    level_given: bool,
) -> tuple[list[str], int | None]:
    """The apps' previews of saving ``worker``; nothing is kept."""
    was_new = worker.pk is None
    html: list[str] = []
    proposed: int | None = None
    try:
        with transaction.atomic():
            _save_parts(actor=request.user, worker=worker, data=data)
            previews = extensions.worker_previews(worker, request.user)
            proposed = next(
                (p.proposed_level for p in previews if p.proposed_level), None
            )
            if was_new and not level_given and proposed and proposed != worker.level:
                # Show the pay at the level the rule proposes, not the
                # provisional one.
                worker.level = proposed
                services.worker_save(actor=request.user, worker=worker)
                previews = extensions.worker_previews(worker, request.user)
            html = _render_previews(request, previews)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        if was_new:
            worker.pk = None
            worker._state.adding = True
    return html, proposed


def _worker_form_page(
    request: AuthenticatedHttpRequest, worker: Worker | None
) -> HttpResponse:
    user = request.user
    instance = worker or Worker()
    form = WorkerForm(
        request.POST or None,
        instance=instance,
        communities=community_list_visible_to(user=user),
        show_bank_account=user_sees_full_bank(user) or worker is None,
    )
    previews: list[str] = []
    proposed: int | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        level_given = bool(request.POST.get("level"))
        try:
            if request.POST.get("action") == "save":
                with transaction.atomic():
                    saved = _save_parts(
                        actor=user,
                        worker=form.save(commit=False),
                        data=data,
                        saving=True,
                    )
                messages.success(request, _("人员信息已保存。"))
                return redirect("core:worker-detail", pk=saved.pk)
            previews, proposed = _preview(
                request, form.save(commit=False), data, level_given
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
            if proposed and not level_given and worker is None:
                post_data = request.POST.copy()
                post_data["level"] = str(proposed)
                form = WorkerForm(
                    post_data,
                    instance=Worker(),
                    communities=community_list_visible_to(user=user),
                    show_bank_account=True,
                )
                form.is_valid()
    return render(
        request,
        "core/worker_form.html",
        {
            "form": form,
            "worker": worker,
            "previews": previews,
            "proposed": proposed,
            "previewed": request.method == "POST"
            and form.is_valid()
            and not form.errors,
        },
    )


@login_required
def worker_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_editor(request)
    return _worker_form_page(request, None)


@login_required
def worker_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    worker = get_object_or_404(worker_list_visible_to(user=request.user), pk=pk)
    return _worker_form_page(request, worker)


@login_required
def worker_leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    worker = get_object_or_404(worker_list_visible_to(user=request.user), pk=pk)
    if worker.status == Worker.Status.LEFT:
        raise PermissionDenied(services.ALREADY_LEFT)
    form = WorkerLeaveForm(request.POST or None, worker=worker)
    previews: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "save":
            try:
                services.worker_employment_end(
                    actor=request.user,
                    worker=worker,
                    left_on=data["left_on"],
                    reason=data["reason"],
                    note=data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已办理离职。"))
                return redirect("core:worker-detail", pk=worker.pk)
        else:
            previews = _render_previews(
                request,
                extensions.worker_leave_previews(
                    worker, data["left_on"], data["reason"]
                ),
            )
    return render(
        request,
        "core/worker_leave.html",
        {
            "form": form,
            "worker": worker,
            "previews": previews,
            "previewed": request.method == "POST" and form.is_valid(),
        },
    )

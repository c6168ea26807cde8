"""Pages of levels: placement, post change, and the level history import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock, exports
from core.import_flow import import_flow
from core.selectors import user_can_edit_roster, worker_list_visible_to
from payroll.levels import services
from payroll.levels.forms import PlacementForm, PostChangeForm
from payroll.levels.resources import LevelChangeResource


def _placement_worker(request: HttpRequest, pk: int):
    if not (
        request.user.has_perm("payroll.add_levelchange")
        and user_can_edit_roster(request.user)
    ):
        raise PermissionDenied(_("您的角色不能为人员定级。"))
    return get_object_or_404(worker_list_visible_to(user=request.user), pk=pk)


@login_required
def worker_placement(request: HttpRequest, pk: int) -> HttpResponse:
    """Place a worker by DOMAIN A2, or override with a written reason."""
    worker = _placement_worker(request, pk)
    form = PlacementForm(request.POST or None, initial={"on": clock.today()})
    post_form = PostChangeForm(initial={"post": worker.post, "on": clock.today()})
    computed = None
    on = clock.today()
    if form.is_valid():
        on = form.cleaned_data["on"]
    try:
        computed, _version = services.placement_compute(worker=worker, on=on)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.placement_record(
                actor=request.user,
                worker=worker,
                on=data["on"],
                override_level=data["override_level"],
                override_reason=data["override_reason"],
            )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("定级已记录。"))
            return redirect("core:worker-detail", pk=worker.pk)
    return render(
        request,
        "payroll/worker_placement.html",
        {
            "worker": worker,
            "form": form,
            "post_form": post_form,
            "computed": computed,
        },
    )


@login_required
@require_POST
def worker_post_change(request: HttpRequest, pk: int) -> HttpResponse:
    worker = _placement_worker(request, pk)
    form = PostChangeForm(request.POST)
    if form.is_valid():
        try:
            services.worker_post_change(
                actor=request.user,
                worker=worker,
                post=form.cleaned_data["post"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("岗位变动已记录。"))
    else:
        messages.error(request, _("请检查岗位和日期。"))
    return redirect("core:worker-detail", pk=worker.pk)


@login_required
def level_import(request: HttpRequest) -> HttpResponse:
    """Level history from an earlier system (reason "import"), all or nothing."""
    if not (
        request.user.has_perm("payroll.add_levelchange")
        and user_can_edit_roster(request.user)
    ):
        raise PermissionDenied(_("您的角色不能导入等级。"))
    return import_flow(
        request,
        key="levels",
        resource_factory=lambda: LevelChangeResource(user=request.user),
        title=_("导入等级记录"),
        template_url=reverse("payroll:level-template"),
        done_url=reverse("core:worker-list"),
    )


@login_required
def level_template(request: HttpRequest) -> HttpResponse:
    headers = LevelChangeResource().get_export_headers()
    return exports.xlsx_response(
        exports.workbook_from_rows(_("等级记录"), headers, []), "等级记录模板.xlsx"
    )

"""Pages of pay scales: versions, their tables' import and export, copy,
adoption and the indexation preview."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock, exports
from core.import_flow import import_flow
from core.selectors import user_can_edit_roster, worker_list_visible_to
from payroll.scales.costs import indexation_cost
from payroll.scales.forms import ScaleCopyForm
from payroll.scales.resources import TABLES, scale_workbook, table_label
from payroll.scales.selectors import (
    ScaleMissingError,
    scale_for,
    scale_version_in_force,
    scale_version_list,
)
from payroll.scales.services import (
    scale_version_adopt,
    scale_version_copy,
    scale_version_index,
)


def _can_manage(user) -> bool:
    return user.has_perm("payroll.change_scaleversion")


@login_required
@permission_required("payroll.view_scaleversion", raise_exception=True)
def scale_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "payroll/scaleversion_list.html",
        {
            "versions": scale_version_list(),
            "in_force": scale_version_in_force(clock.today()),
            "can_manage": _can_manage(request.user),
            "can_import_levels": request.user.has_perm("payroll.add_levelchange")
            and user_can_edit_roster(request.user),
        },
    )


@login_required
@permission_required("payroll.view_scaleversion", raise_exception=True)
def scale_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(scale_version_list(), pk=pk)
    return render(
        request,
        "payroll/scaleversion_detail.html",
        {
            "version": version,
            "level_pays": version.level_pays.all(),
            "post_allowances": version.post_allowances.select_related("post"),
            "grade_coefficients": version.grade_coefficients.all(),
            "star_allowances": version.star_allowances.all(),
            "education_years": version.education_years.all(),
            "certificate_levels": version.certificate_levels.all(),
            "parameters": version.parameters.all(),
            "tables": [(key, table_label(key)) for key in TABLES],
            "can_manage": _can_manage(request.user),
            "copy_form": ScaleCopyForm(
                initial={
                    "code": str(version.effective_on.year + 1),
                    "effective_on": date(version.effective_on.year + 1, 1, 1),
                }
            ),
        },
    )


@login_required
@permission_required("payroll.view_scaleversion", raise_exception=True)
def scale_export(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(scale_version_list(), pk=pk)
    return exports.xlsx_response(scale_workbook(version), f"薪酬表_{version.code}.xlsx")


@login_required
@permission_required("payroll.change_scaleversion", raise_exception=True)
def scale_import(request: HttpRequest, pk: int, table: str) -> HttpResponse:
    version = get_object_or_404(scale_version_list(), pk=pk)
    if table not in TABLES:
        raise Http404
    if version.is_used:
        messages.error(
            request, str(_("该薪酬表版本已被工资核算使用，不能再修改或删除。"))
        )
        return redirect("payroll:scale-detail", pk=pk)
    resource_class = TABLES[table][0]
    return import_flow(
        request,
        key=f"scale:{pk}:{table}",
        resource_factory=lambda: resource_class(version=version),
        title=_("导入 %(version)s：%(table)s")
        % {"version": version.code, "table": table_label(table)},
        template_url=reverse("payroll:scale-export", args=[pk]),
        done_url=reverse("payroll:scale-detail", args=[pk]),
    )


@login_required
@require_POST
@permission_required("payroll.add_scaleversion", raise_exception=True)
def scale_copy(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(scale_version_list(), pk=pk)
    form = ScaleCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写新版本号和生效日期。"))
        return redirect("payroll:scale-detail", pk=pk)
    data = form.cleaned_data
    try:
        if request.POST.get("mode") == "index":
            new = scale_version_index(
                version=version,
                code=data["code"],
                effective_on=data["effective_on"],
                name=data["name"],
            )
        else:
            new = scale_version_copy(
                version=version,
                code=data["code"],
                effective_on=data["effective_on"],
                name=data["name"],
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("payroll:scale-detail", pk=pk)
    messages.success(request, _("已生成草稿版本 %(code)s。") % {"code": new.code})
    return redirect("payroll:scale-detail", pk=new.pk)


@login_required
@require_POST
@permission_required("payroll.change_scaleversion", raise_exception=True)
def scale_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(scale_version_list(), pk=pk)
    try:
        scale_version_adopt(version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except ScaleMissingError:
        messages.error(request, _("薪酬表不完整，不能启用。"))
    else:
        messages.success(request, _("版本 %(code)s 已启用。") % {"code": version.code})
    return redirect("payroll:scale-detail", pk=pk)


@login_required
@permission_required("payroll.view_scaleversion", raise_exception=True)
def indexation_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """DOMAIN A6: today's workers under the table in force and under ``pk``."""
    new_version = get_object_or_404(scale_version_list(), pk=pk)
    today = clock.today()
    old_version = new_version.based_on or scale_version_in_force(today)
    report = None
    error = ""
    if old_version is None or old_version.pk == new_version.pk:
        error = _("没有可比较的原薪酬表。")
    else:
        try:
            report = indexation_cost(
                old=scale_for(old_version),
                new=scale_for(new_version),
                workers=worker_list_visible_to(user=request.user),
                on=today,
            )
        except ScaleMissingError:
            error = _("薪酬表不完整，无法测算。")
    if report is not None and request.GET.get("format") == "xlsx":
        headers = [
            _("区"),
            _("人数"),
            _("原表年度成本（元）"),
            _("新表年度成本（元）"),
            _("增加（元）"),
            _("增幅（%）"),
        ]
        rows = [
            [r.name, r.workers, r.old, r.new, r.difference, r.percent]
            for r in report.rows
        ]
        total = report.total
        rows.append(
            [
                _("合计"),
                total.workers,
                total.old,
                total.new,
                total.difference,
                total.percent,
            ]
        )
        return exports.xlsx_response(
            exports.workbook_from_rows(_("自然增长测算"), headers, rows),
            f"自然增长测算_{old_version.code}_{new_version.code}.xlsx",
        )
    return render(
        request,
        "payroll/indexation_preview.html",
        {
            "old": old_version,
            "new": new_version,
            "report": report,
            "error": error,
        },
    )

"""Pages of ratings: grade and star lists, and their imports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import exports
from core.forms import CHOOSER_MAX_COMMUNITIES, ScopeChooserForm
from core.http import AuthenticatedHttpRequest
from core.import_flow import import_flow
from core.selectors import (
    community_list_visible_to,
    district_list_visible_to,
    street_list_visible_to,
    worker_list_visible_to,
)
from ratings import services
from ratings.forms import (
    CHOOSER_MAX_WORKERS,
    GradeForm,
    GradeGridChoice,
    StarForm,
    narrowed,
)
from ratings.models import AnnualGrade, Grade
from ratings.resources import AnnualGradeResource, StarRatingResource
from ratings.selectors import annual_grade_list_visible_to, star_rating_list_visible_to


@login_required
@permission_required("ratings.view_annualgrade", raise_exception=True)
def grade_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    grades = annual_grade_list_visible_to(user=request.user).order_by(
        "-year", "worker__community__code", "worker__full_name"
    )
    year = request.GET.get("year", "")
    if year.isdigit():
        grades = grades.filter(year=int(year))
    page = Paginator(grades, 50).get_page(request.GET.get("page"))
    stars = star_rating_list_visible_to(user=request.user).order_by("-rated_on")[:50]
    return render(
        request,
        "ratings/grade_list.html",
        {
            "page": page,
            "year": year,
            "stars": stars,
            "can_enter": request.user.has_perm("ratings.add_annualgrade"),
        },
    )


@login_required
@permission_required("ratings.add_annualgrade", raise_exception=True)
def grade_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    return import_flow(
        request,
        key="grades",
        resource_factory=lambda: AnnualGradeResource(user=request.user),
        title=_("导入年度考核结果"),
        template_url=reverse("ratings:grade-template"),
        done_url=reverse("ratings:grade-list"),
    )


@login_required
@permission_required("ratings.add_annualgrade", raise_exception=True)
def grade_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    headers = AnnualGradeResource().get_export_headers()
    return exports.xlsx_download(
        request,
        exports.workbook_from_rows(_("年度考核"), headers, []),
        "年度考核模板.xlsx",
        what=_("年度考核模板"),
    )


@login_required
@permission_required("ratings.view_annualgrade", raise_exception=True)
def grade_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    resource = AnnualGradeResource(user=request.user)
    return exports.xlsx_bytes_download(
        request, resource.export().xlsx, "年度考核.xlsx", what=_("年度考核")
    )


@login_required
@permission_required("ratings.add_starrating", raise_exception=True)
def star_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    return import_flow(
        request,
        key="stars",
        resource_factory=lambda: StarRatingResource(user=request.user),
        title=_("导入星级评定"),
        template_url=reverse("ratings:star-template"),
        done_url=reverse("ratings:grade-list"),
    )


@login_required
@permission_required("ratings.add_starrating", raise_exception=True)
def star_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    headers = StarRatingResource().get_export_headers()
    return exports.xlsx_download(
        request,
        exports.workbook_from_rows(_("星级评定"), headers, []),
        "星级评定模板.xlsx",
        what=_("星级评定模板"),
    )


def _scoped_workers(user: Any) -> Any:
    return worker_list_visible_to(user=user).filter(status="active")


def _chooser(request: AuthenticatedHttpRequest) -> tuple[ScopeChooserForm, str]:
    """The district -> street -> community chooser that narrows a record
    form's drop-downs in a large scope, and the community it chose."""
    user = request.user
    chooser = ScopeChooserForm(
        request.GET,
        districts=district_list_visible_to(user=user),
        streets=street_list_visible_to(user=user),
        communities=community_list_visible_to(user=user),
        auto_id="chooser_%s",
    )
    community = chooser.cleaned_data["community"] if chooser.is_valid() else ""
    return chooser, community


@login_required
@permission_required("ratings.add_annualgrade", raise_exception=True)
def grade_record(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One worker's grade for one year (a correction replaces it)."""
    workers = worker_list_visible_to(user=request.user)
    chooser, community = _chooser(request)
    offered = narrowed(
        workers,
        limit=CHOOSER_MAX_WORKERS,
        community=community,
        keep=[request.GET.get("worker", ""), request.POST.get("worker", "")],
        path="community__code",
    )
    form = GradeForm(
        request.POST or None,
        workers=workers,
        offered_workers=offered,
        initial={"worker": request.GET.get("worker")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.annual_grade_record(
                actor=request.user,
                worker=data["worker"],
                year=data["year"],
                grade=data["grade"],
                note=data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("考核结果已保存。"))
            return redirect("core:worker-detail", pk=data["worker"].pk)
    return render(
        request,
        "ratings/record_form.html",
        {
            "form": form,
            "title": _("录入年度考核"),
            "chooser": chooser if offered is not None else None,
        },
    )


@login_required
@permission_required("ratings.add_starrating", raise_exception=True)
def star_record(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One star rating of a worker or a community."""
    workers = worker_list_visible_to(user=request.user)
    communities = community_list_visible_to(user=request.user)
    chooser, community = _chooser(request)
    offered_workers = narrowed(
        workers,
        limit=CHOOSER_MAX_WORKERS,
        community=community,
        keep=[request.GET.get("worker", ""), request.POST.get("worker", "")],
        path="community__code",
    )
    offered_communities = narrowed(
        communities,
        limit=CHOOSER_MAX_COMMUNITIES,
        community=community,
        keep=[request.POST.get("community", "")],
        path="code",
    )
    form = StarForm(
        request.POST or None,
        workers=workers,
        communities=communities,
        offered_workers=offered_workers,
        offered_communities=offered_communities,
        initial={"worker": request.GET.get("worker")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rating = services.star_rating_record(
                actor=request.user,
                worker=data["worker"],
                community=data["community"],
                stars=data["stars"],
                rated_on=data["rated_on"],
                score=data["score"],
                assessor=data["assessor"],
                evidence=data["evidence"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("星级评定已保存。"))
            if rating.worker_id:
                return redirect("core:worker-detail", pk=rating.worker_id)
            return redirect("ratings:grade-list")
    return render(
        request,
        "ratings/record_form.html",
        {
            "form": form,
            "title": _("录入星级评定"),
            "chooser": chooser
            if offered_workers is not None or offered_communities is not None
            else None,
        },
    )


@login_required
@permission_required("ratings.add_annualgrade", raise_exception=True)
def grade_grid(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A community's active workers for one year, one grade each, saved
    together (all or none)."""
    choice = GradeGridChoice(
        request.GET or None,
        communities=community_list_visible_to(user=request.user),
    )
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    if choice.is_valid():
        community, year = choice.cleaned_data["community"], choice.cleaned_data["year"]
        workers = list(
            _scoped_workers(request.user)
            .filter(community=community)
            .order_by("post__sort_order", "full_name")
        )
        existing = {
            g.worker_id: g
            for g in AnnualGrade.objects.filter(worker__in=workers, year=year)
        }
        valid = {code for code, _label in Grade.choices}
        for worker in workers:
            current = existing.get(worker.pk)
            grade = request.POST.get(
                f"grade-{worker.pk}", current.grade if current else ""
            )
            note = request.POST.get(
                f"note-{worker.pk}", current.note if current else ""
            )
            if grade and grade not in valid:
                errors.append(
                    _("%(name)s：考核结果无效。") % {"name": worker.full_name}
                )
            rows.append({"worker": worker, "grade": grade, "note": note.strip()[:200]})
        if request.method == "POST" and not errors:
            try:
                saved = services.annual_grades_record(
                    actor=request.user,
                    year=year,
                    grades={r["worker"]: (r["grade"], r["note"]) for r in rows},
                )
            except (ValidationError, PermissionDenied) as exc:
                errors.extend(getattr(exc, "messages", [str(exc)]))
            else:
                messages.success(
                    request,
                    _("已保存 %(count)s 人的 %(year)s 年度考核结果。")
                    % {"count": len(saved), "year": year},
                )
                return redirect(request.get_full_path())
    return render(
        request,
        "ratings/grade_grid.html",
        {
            "choice": choice,
            "rows": rows,
            "errors": errors,
            "grades": Grade.choices,
        },
    )

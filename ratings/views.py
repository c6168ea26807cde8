"""Pages of ratings: grade and star lists, and their imports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import exports
from core.import_flow import import_flow
from ratings.resources import AnnualGradeResource, StarRatingResource
from ratings.selectors import annual_grade_list_visible_to, star_rating_list_visible_to


@login_required
@permission_required("ratings.view_annualgrade", raise_exception=True)
def grade_list(request: HttpRequest) -> HttpResponse:
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
def grade_import(request: HttpRequest) -> HttpResponse:
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
def grade_template(request: HttpRequest) -> HttpResponse:
    headers = AnnualGradeResource().get_export_headers()
    return exports.xlsx_download(
        request,
        exports.workbook_from_rows(_("年度考核"), headers, []),
        "年度考核模板.xlsx",
        what=_("年度考核模板"),
    )


@login_required
@permission_required("ratings.view_annualgrade", raise_exception=True)
def grade_export(request: HttpRequest) -> HttpResponse:
    resource = AnnualGradeResource(user=request.user)
    return exports.xlsx_bytes_download(
        request, resource.export().xlsx, "年度考核.xlsx", what=_("年度考核")
    )


@login_required
@permission_required("ratings.add_starrating", raise_exception=True)
def star_import(request: HttpRequest) -> HttpResponse:
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
def star_template(request: HttpRequest) -> HttpResponse:
    headers = StarRatingResource().get_export_headers()
    return exports.xlsx_download(
        request,
        exports.workbook_from_rows(_("星级评定"), headers, []),
        "星级评定模板.xlsx",
        what=_("星级评定模板"),
    )

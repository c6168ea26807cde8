"""Pages of the fund: thin views over selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import exports
from core.decimals import sum_amounts
from core.import_flow import import_flow
from core.models import Community, Role
from core.selectors import (
    community_list_visible_to,
    district_list_visible_to,
    street_list_visible_to,
)
from funding import charts, selectors, services
from funding.forms import (
    AnswerForm,
    ExpenseForm,
    FundYearForm,
    MeetingForm,
    ObjectionForm,
    ProjectForm,
    ReportFilterForm,
    TransitionForm,
)
from funding.models import (
    PUBLIC_STATES,
    SPENDING_STATES,
    FundYear,
    Objection,
    ProjectState,
)
from funding.resources import HEADERS, AllocationResource

CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def _error_messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc) or _("没有权限。")]


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _require_fund_admin(request: HttpRequest) -> None:
    if not selectors.user_administers_funds(request.user):
        raise PermissionDenied(_("您的角色不能设置或结算资金年度。"))


# Desks -------------------------------------------------------------------------


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    waiting = selectors.projects_waiting_for(user=user, today=today)
    if user.role == Role.SECRETARY:
        fund_year = (
            selectors.fund_year_list_visible_to(user=user)
            .filter(year__lte=today.year)
            .order_by("-year")
            .first()
        )
        projects = []
        if fund_year is not None:
            for project in fund_year.projects.select_related("category"):
                projects.append(
                    {
                        "project": project,
                        "next": selectors.next_step_label(project),
                        "spent": selectors.project_spent(project),
                    }
                )
        return render(
            request,
            "funding/desk_secretary.html",
            {
                "fund_year": fund_year,
                "figures": selectors.fund_year_figures(fund_year)
                if fund_year
                else None,
                "projects": projects,
                "waiting": waiting,
            },
        )
    years = list(selectors.fund_year_list_visible_to(user=user).filter(year=today.year))
    figures = selectors.fund_year_figures_many(years)
    counts: dict[int, dict[str, int]] = {}
    for fund_year_id, state in (
        selectors.project_list_visible_to(user=user)
        .filter(fund_year__in=[fy.pk for fy in years])
        .values_list("fund_year_id", "state")
    ):
        counts.setdefault(fund_year_id, {}).setdefault(state, 0)
        counts[fund_year_id][state] += 1
    labels = dict(ProjectState.choices)
    communities = [
        {
            "fund_year": fy,
            "figures": figures[fy.pk],
            "states": [
                (labels[state], n) for state, n in sorted(counts.get(fy.pk, {}).items())
            ],
        }
        for fy in years
    ]
    visible = community_list_visible_to(user=user)
    return render(
        request,
        "funding/desk_officer.html",
        {
            "waiting": waiting,
            "communities": communities,
            "without_fund": visible.exclude(pk__in=[fy.community_id for fy in years]),
            "year": today.year,
            "can_admin": selectors.user_administers_funds(user),
        },
    )


# Fund years --------------------------------------------------------------------


@login_required
def fund_year_list(request: HttpRequest) -> HttpResponse:
    years = list(selectors.fund_year_list_visible_to(user=request.user))
    figures = selectors.fund_year_figures_many(years)
    return render(
        request,
        "funding/fundyear_list.html",
        {
            "rows": [{"fund_year": fy, "figures": figures[fy.pk]} for fy in years],
            "can_admin": selectors.user_administers_funds(request.user),
        },
    )


@login_required
def fund_year_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fund_year = get_object_or_404(
        selectors.fund_year_list_visible_to(user=request.user), pk=pk
    )
    projects = []
    for project in fund_year.projects.select_related("category"):
        projects.append(
            {
                "project": project,
                "spent": selectors.project_spent(project),
                "next": selectors.next_step_label(project),
            }
        )
    user = request.user
    return render(
        request,
        "funding/fundyear_detail.html",
        {
            "fund_year": fund_year,
            "figures": selectors.fund_year_figures(fund_year),
            "projects": projects,
            "can_propose": fund_year.is_open
            and user.role == Role.SECRETARY
            and user.community_id == fund_year.community_id,
            "can_admin": selectors.user_administers_funds(user) and fund_year.is_open,
        },
    )


@login_required
def fund_year_create(request: HttpRequest) -> HttpResponse:
    _require_fund_admin(request)
    form = FundYearForm(
        request.POST or None,
        communities=community_list_visible_to(user=request.user),
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fund_year = services.fund_year_set(
                actor=request.user,
                community=data["community"],
                year=data["year"],
                allocation=data["allocation"],
                city_share=data["city_share"],
                district_share=data["district_share"],
                street_share=data["street_share"],
                create_only=True,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("资金年度已建立。"))
            return redirect("funding:fund-year-detail", pk=fund_year.pk)
    return render(request, "funding/fundyear_form.html", {"form": form})


@login_required
@require_POST
def fund_year_close(request: HttpRequest, pk: int) -> HttpResponse:
    fund_year = get_object_or_404(
        selectors.fund_year_list_visible_to(user=request.user), pk=pk
    )
    try:
        fund_year = services.fund_year_close(
            actor=request.user, fund_year=fund_year, today=timezone.localdate()
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(_error_messages(exc)))
    else:
        messages.success(
            request,
            _("已结账，结转下年 %(amount)s 元。") % {"amount": fund_year.carried_out},
        )
    return redirect("funding:fund-year-detail", pk=pk)


@login_required
def fund_year_statement(request: HttpRequest, pk: int) -> HttpResponse:
    """The printed statement of a fund year (PDF), for anyone whose scope
    covers it: auditors, officers and the community's secretary."""
    from funding.pdf import statement_pdf

    fund_year = get_object_or_404(
        selectors.fund_year_list_visible_to(user=request.user), pk=pk
    )
    response = HttpResponse(statement_pdf(fund_year), content_type="application/pdf")
    response["Content-Disposition"] = exports.attachment(
        f"为民服务资金明细_{fund_year.community.code}_{fund_year.year}.pdf"
    )
    return response


@login_required
def allocation_import(request: HttpRequest) -> HttpResponse:
    _require_fund_admin(request)
    return import_flow(
        request,
        key="funding-allocation",
        resource_factory=lambda: AllocationResource(user=request.user),
        title=_("导入年度拨款"),
        template_url=reverse("funding:allocation-template"),
        done_url=reverse("funding:fund-year-list"),
    )


@login_required
def allocation_template(request: HttpRequest) -> HttpResponse:
    _require_fund_admin(request)
    year = timezone.localdate().year
    rows = [
        [c.code, year, "200000.00", "100000.00", "60000.00", "40000.00"]
        for c in community_list_visible_to(user=request.user)
    ]
    workbook = exports.workbook_from_rows(_("年度拨款"), list(HEADERS), rows)
    return exports.xlsx_response(workbook, "年度拨款模板.xlsx")


# Projects ----------------------------------------------------------------------


@login_required
def project_create(request: HttpRequest, pk: int) -> HttpResponse:
    fund_year = get_object_or_404(
        selectors.fund_year_list_visible_to(user=request.user), pk=pk
    )
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_propose(
                actor=request.user,
                fund_year=fund_year,
                today=timezone.localdate(),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        else:
            messages.success(request, _("项目已提议。下一步：召开党群议事会。"))
            return redirect("funding:project-detail", pk=project.pk)
    return render(
        request, "funding/project_form.html", {"form": form, "fund_year": fund_year}
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    project = get_object_or_404(selectors.project_list_visible_to(user=user), pk=pk)
    is_secretary = (
        user.role == Role.SECRETARY
        and user.community_id == project.fund_year.community_id
    )
    is_officer = is_secretary or user.role in (
        Role.STREET_OFFICER,
        Role.DISTRICT_STAFF,
    )
    open_year = project.fund_year.is_open
    expenses = list(project.expenses.prefetch_related("receipts"))
    return render(
        request,
        "funding/project_detail.html",
        {
            "project": project,
            "events": project.events.select_related("actor"),
            "meetings": project.meetings.prefetch_related("attachments"),
            "objections": project.objections.all(),
            "expenses": expenses,
            "spent": selectors.project_spent(project),
            "outstanding": selectors.project_outstanding(project),
            "transitions": selectors.transitions_for(user=user, project=project)
            if open_year
            else [],
            "next": selectors.next_step_label(project),
            "meeting_form": MeetingForm()
            if is_secretary and project.state == ProjectState.PROPOSED and open_year
            else None,
            "objection_form": ObjectionForm()
            if is_officer and project.state == ProjectState.ON_NOTICE
            else None,
            "answer_form": AnswerForm() if is_officer else None,
            "can_spend": is_secretary
            and open_year
            and project.state in SPENDING_STATES,
        },
    )


@login_required
@require_POST
def project_transition(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        selectors.project_list_visible_to(user=request.user), pk=pk
    )
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            project = services.project_transition(
                actor=request.user,
                project=project,
                to_state=form.cleaned_data["to_state"],
                comment=form.cleaned_data["comment"],
                today=timezone.localdate(),
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(_error_messages(exc)))
        else:
            messages.success(
                request,
                _("项目状态：%(state)s") % {"state": project.get_state_display()},
            )
    return redirect("funding:project-detail", pk=pk)


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        selectors.project_list_visible_to(user=request.user), pk=pk
    )
    form = MeetingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.council_meeting_record(
                actor=request.user,
                project=project,
                today=timezone.localdate(),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        else:
            messages.success(request, _("议事会记录已保存。"))
            return redirect("funding:project-detail", pk=pk)
    return render(
        request, "funding/meeting_form.html", {"form": form, "project": project}
    )


@login_required
@require_POST
def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        selectors.project_list_visible_to(user=request.user), pk=pk
    )
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            services.objection_record(
                actor=request.user,
                project=project,
                today=timezone.localdate(),
                **form.cleaned_data,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(_error_messages(exc)))
        else:
            messages.success(request, _("异议已登记，批准前须答复。"))
    else:
        messages.error(request, _("请填写收到日期和异议内容。"))
    return redirect("funding:project-detail", pk=pk)


@login_required
@require_POST
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    visible = selectors.project_list_visible_to(user=request.user)
    objection = get_object_or_404(
        Objection.objects.filter(project__in=visible.values("pk")), pk=pk
    )
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.objection_answer(
                actor=request.user,
                objection=objection,
                answer=form.cleaned_data["answer"],
                today=timezone.localdate(),
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(_error_messages(exc)))
        else:
            messages.success(request, _("异议已答复。"))
    return redirect("funding:project-detail", pk=objection.project_id)


@login_required
def expense_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        selectors.project_list_visible_to(user=request.user), pk=pk
    )
    form = ExpenseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            _expense, warnings = services.expense_record(
                actor=request.user,
                project=project,
                today=timezone.localdate(),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, _("支出已登记。"))
            return redirect("funding:project-detail", pk=pk)
    return render(
        request,
        "funding/expense_form.html",
        {
            "form": form,
            "project": project,
            "outstanding": selectors.project_outstanding(project),
            "figures": selectors.fund_year_figures(project.fund_year),
        },
    )


@login_required
def stored_file_download(request: HttpRequest, pk: int) -> FileResponse:
    """A receipt or attachment, only for a reader whose scope covers it."""
    stored = get_object_or_404(
        selectors.stored_file_visible_to(user=request.user), pk=pk
    )
    path = services.stored_file_path(stored)
    if not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=stored.kind == "pdf",
        filename=stored.name,
        content_type=CONTENT_TYPES.get(stored.kind, "application/octet-stream"),
    )


# Reports -----------------------------------------------------------------------


def _report_scope(request: HttpRequest) -> tuple[ReportFilterForm, Any, int]:
    user = request.user
    visible = selectors.fund_year_list_visible_to(user=user)
    years = sorted(set(visible.values_list("year", flat=True)), reverse=True) or [
        timezone.localdate().year
    ]
    form = ReportFilterForm(
        request.GET or None,
        years=years,
        districts=district_list_visible_to(user=user),
        streets=street_list_visible_to(user=user),
        communities=community_list_visible_to(user=user),
    )
    year = years[0]
    fund_years = visible
    if form.is_valid():
        data = form.cleaned_data
        year = data["year"] or year
        if data["district"]:
            fund_years = fund_years.filter(
                community__street__district__code=data["district"]
            )
        if data["street"]:
            fund_years = fund_years.filter(community__street__code=data["street"])
        if data["community"]:
            fund_years = fund_years.filter(community__code=data["community"])
    return form, fund_years.filter(year=year), year


@login_required
def report(request: HttpRequest) -> HttpResponse:
    form, fund_years, year = _report_scope(request)
    budget = selectors.budget_report(fund_years)
    return render(
        request,
        "funding/report.html",
        {
            "form": form,
            "year": year,
            "report": budget,
            "category_chart": charts.budget_chart(budget.by_category),
            "community_chart": charts.budget_chart(budget.by_community)
            if len(budget.by_community) > 1
            else None,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def report_export(request: HttpRequest) -> HttpResponse:
    _form, fund_years, year = _report_scope(request)
    budget = selectors.budget_report(fund_years)
    workbook = exports.workbook_from_rows(
        _("按社区"),
        [
            _("社区"),
            _("年度拨款"),
            _("上年结转"),
            _("已预留"),
            _("已支出"),
            _("可用"),
        ],
        [
            [
                row.label,
                row.extra["figures"].allocation,
                row.extra["figures"].carried_in,
                row.extra["figures"].committed,
                row.extra["figures"].spent,
                row.extra["figures"].available,
            ]
            for row in budget.by_community
        ]
        + [
            [
                _("合计"),
                budget.totals.allocation,
                budget.totals.carried_in,
                budget.totals.committed,
                budget.totals.spent,
                budget.totals.available,
            ]
        ],
    )
    sheet = workbook.create_sheet(_("按类别"))
    sheet.append([_("类别"), _("预算"), _("实际支出"), _("差额")])
    for row in budget.by_category:
        sheet.append([row.label, row.budget, row.actual, row.remaining])
    sheet.append([_("合计"), budget.budget_total, budget.actual_total])
    sheet = workbook.create_sheet(_("按项目"))
    sheet.append([_("社区"), _("项目"), _("类别"), _("状态"), _("预算"), _("实际支出")])
    for row in budget.by_project:
        sheet.append(
            [
                row.extra["community"],
                row.label,
                row.extra["category"],
                row.extra["state"],
                row.budget,
                row.actual,
            ]
        )
    return exports.xlsx_response(workbook, f"为民服务资金预算执行_{year}.xlsx")


# Public page ---------------------------------------------------------------------


def public_community(request: HttpRequest, code: str) -> HttpResponse:
    """What a resident may see, without login: approved projects, notices and
    spending. No user names, no personal payees, no ID numbers or phones."""
    community = get_object_or_404(
        Community.objects.select_related("street__district"), code=code
    )
    fund_years = FundYear.objects.filter(community=community).order_by("-year")
    year = request.GET.get("year", "")
    fund_year = (
        fund_years.filter(year=year).first() if year.isdigit() else fund_years.first()
    )
    projects = []
    if fund_year is not None:
        for project in fund_year.projects.filter(
            state__in=PUBLIC_STATES
        ).select_related("category"):
            expenses = [
                {
                    "paid_on": e.paid_on,
                    "amount": e.amount,
                    "description": e.description,
                    "payee": _("个人") if e.payee_is_person else e.payee,
                }
                for e in project.expenses.all()
            ]
            projects.append(
                {
                    "title": project.title,
                    "category": project.category.name,
                    "purpose": project.purpose,
                    "beneficiaries": project.beneficiaries,
                    "expected_beneficiaries": project.expected_beneficiaries,
                    "estimated_cost": project.estimated_cost,
                    "state": project.get_state_display(),
                    "notice_started_on": project.notice_started_on,
                    "notice_ends_on": project.notice_ends_on,
                    "expenses": expenses,
                    "spent": sum_amounts(e["amount"] for e in expenses),
                }
            )
    return render(
        request,
        "funding/public_community.html",
        {
            "community": community,
            "fund_year": fund_year,
            "years": list(fund_years.values_list("year", flat=True)),
            "figures": selectors.fund_year_figures(fund_year) if fund_year else None,
            "projects": projects,
        },
    )

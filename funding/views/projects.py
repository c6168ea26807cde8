"""Projects and their meetings, objections, expenses and files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.documents.downloads import file_response
from core.http import AuthenticatedHttpRequest
from core.models import Role
from core.money import format_money
from funding import selectors, services
from funding.forms import (
    AnswerForm,
    CarryForwardForm,
    ExpenseForm,
    MeetingForm,
    ObjectionForm,
    ProjectForm,
    ReversalForm,
    TransitionForm,
)
from funding.models import (
    RESERVING_STATES,
    SPENDING_STATES,
    BudgetChange,
    CarryForward,
    Expense,
    Objection,
    ProjectState,
)
from funding.services._common import require_secretary
from funding.views._shared import (
    CONTENT_TYPES,
    error_messages,
    form_page,
    secretary_project,
    to_project,
)


@login_required
def project_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    fund_year = get_object_or_404(
        selectors.fund_year_list_visible_to(user=request.user), pk=pk
    )
    # Forms only for who may send them (the services check again).
    require_secretary(request.user, fund_year.community_id)
    return form_page(
        request,
        ProjectForm(request.POST or None),
        save=lambda data: services.project_propose(
            actor=request.user, fund_year=fund_year, today=clock.today(), **data
        ),
        saved=lambda project: to_project(
            request, project.pk, _("项目已提议。下一步：召开党群议事会。")
        ),
        template="funding/project_form.html",
        context=lambda: {"fund_year": fund_year},
    )


@login_required
def project_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
    expenses = list(
        project.expenses.select_related(
            "reversal", "recorded_by", "classification"
        ).prefetch_related("receipts")
    )
    spent = selectors.project_spent(project)
    transitions = (
        selectors.transitions_for(user=user, project=project) if open_year else []
    )
    pending_change = selectors.pending_budget_change(project)
    is_street = user.role == Role.STREET_OFFICER
    decides_change = pending_change is not None and (
        (pending_change.status == BudgetChange.Status.SUBMITTED and is_street)
        or (
            pending_change.status == BudgetChange.Status.STREET_APPROVED
            and user.role == Role.DISTRICT_STAFF
        )
    )
    reviewing = is_officer and not is_secretary
    uses = selectors.forbidden_use_rules()
    return render(
        request,
        "funding/project_detail.html",
        {
            "project": project,
            "events": project.events.select_related("actor"),
            "meetings": project.meetings.prefetch_related("attachments"),
            "objections": project.objections.all(),
            "expenses": expenses,
            "spent": spent,
            "over_approved": selectors.project_over_approved(project, spent),
            "outstanding": selectors.project_outstanding(project),
            "transitions": transitions,
            "versions": selectors.budget_versions(project),
            "budget_changes": project.budget_changes.select_related(
                "proposed_by", "decided_by", "meeting"
            ),
            "pending_change": pending_change,
            "decides_change": decides_change and open_year,
            "can_withdraw_change": is_secretary and pending_change is not None,
            "can_change_budget": is_secretary
            and open_year
            and project.state in SPENDING_STATES
            and pending_change is None,
            # The street officer sees budget against spending, line by line,
            # before the acceptance button.
            "acceptance": selectors.acceptance_lines(project)
            if any(t.to_state == ProjectState.ACCEPTED for t in transitions)
            else None,
            "keyword_warnings": selectors.keyword_warnings(
                [project.title, project.purpose, project.beneficiaries], uses
            )
            if reviewing or is_secretary
            else [],
            "expense_warnings": {
                e.pk: selectors.keyword_warnings([e.description, e.payee], uses)
                for e in expenses
                if not e.is_reversal
            }
            if reviewing
            else {},
            "can_request_carry": open_year
            and project.state in RESERVING_STATES
            and project.carry_forward
            not in (
                CarryForward.REQUESTED,
                CarryForward.APPROVED,
            )
            and (is_secretary or selectors.user_administers_funds(user)),
            "carry_form": CarryForwardForm(),
            "decides_carry": open_year
            and is_street
            and project.carry_forward == CarryForward.REQUESTED,
            "next": selectors.next_step_label(project),
            "exceeds_available": selectors.project_exceeds_available(project)
            if open_year
            else None,
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
def project_transition(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
                today=clock.today(),
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(error_messages(exc)))
        else:
            messages.success(
                request,
                _("项目状态：%(state)s") % {"state": project.get_state_display()},
            )
    return redirect("funding:project-detail", pk=pk)


@login_required
def meeting_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = secretary_project(request, pk)
    return form_page(
        request,
        MeetingForm(request.POST or None, request.FILES or None),
        save=lambda data: services.council_meeting_record(
            actor=request.user, project=project, today=clock.today(), **data
        ),
        saved=lambda _meeting: to_project(request, pk, _("议事会记录已保存。")),
        template="funding/meeting_form.html",
        context=lambda: {"project": project},
    )


@login_required
@require_POST
def objection_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        selectors.project_list_visible_to(user=request.user), pk=pk
    )
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            services.objection_record(
                actor=request.user,
                project=project,
                today=clock.today(),
                **form.cleaned_data,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(error_messages(exc)))
        else:
            messages.success(request, _("异议已登记，批准前须答复。"))
    else:
        messages.error(request, _("请填写收到日期和异议内容。"))
    return redirect("funding:project-detail", pk=pk)


@login_required
@require_POST
def objection_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
                today=clock.today(),
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(error_messages(exc)))
        else:
            messages.success(request, _("异议已答复。"))
    return redirect("funding:project-detail", pk=objection.project_id)


@login_required
def expense_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = secretary_project(request, pk)
    today = clock.today()

    def saved(recorded: tuple[Expense, list[str]]) -> HttpResponse:
        for warning in recorded[1]:
            messages.warning(request, warning)
        return to_project(request, pk, _("支出已登记。"))

    return form_page(
        request,
        ExpenseForm(request.POST or None, request.FILES or None, today=today),
        save=lambda data: services.expense_record(
            actor=request.user, project=project, today=today, **data
        ),
        saved=saved,
        template="funding/expense_form.html",
        context=lambda: {
            "project": project,
            "outstanding": selectors.project_outstanding(project),
            "spent": selectors.project_spent(project),
            "figures": selectors.fund_year_figures(project.fund_year),
        },
    )


@login_required
@require_POST
def expense_reverse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visible = selectors.expense_list_visible_to(user=request.user)
    expense = get_object_or_404(visible, pk=pk)
    form = ReversalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写冲销理由。"))
    else:
        try:
            services.expense_reverse(
                actor=request.user,
                expense=expense,
                reason=form.cleaned_data["reason"],
                today=clock.today(),
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(error_messages(exc)))
        else:
            messages.success(
                request,
                _("已冲销 %(amount)s 元，原记录保留。如需更正，请重新登记正确的支出。")
                % {"amount": format_money(expense.amount)},
            )
    return redirect("funding:project-detail", pk=expense.project_id)


@login_required
def stored_file_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A receipt or attachment, only for a reader whose scope covers it."""
    stored = get_object_or_404(
        selectors.stored_file_visible_to(user=request.user), pk=pk
    )
    path = services.stored_file_path(stored)
    if not path.is_file():
        raise Http404
    return file_response(
        request,
        content=path.open("rb"),
        size=path.stat().st_size,
        filename=stored.name,
        content_type=CONTENT_TYPES.get(stored.kind, "application/octet-stream"),
        what=_("附件：%(name)s") % {"name": stored.name},
        inline=stored.kind != "pdf",
    )

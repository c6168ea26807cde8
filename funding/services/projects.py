"""The project life: proposal, transitions, meetings, objections."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from core import clock
from core.decimals import round_cents
from core.models import Role, User
from core.money import decimal_of, format_money
from funding import rules, selectors
from funding.models import (
    RESERVING_STATES,
    Category,
    CouncilMeeting,
    FundYear,
    Objection,
    Project,
    ProjectEvent,
    ProjectState,
    Transition,
)
from funding.services._common import (
    ACCEPT_CHANGE_PENDING,
    ACCEPT_OVER_APPROVED,
    APPROVAL_OVERSPENDS,
    COMMENT_REQUIRED,
    DATE_IN_FUTURE,
    MEETING_STATE,
    NEEDS_MEETING,
    NO_EXPENSE,
    NOT_SECRETARY,
    NOTICE_NOT_OVER,
    OBJECTION_ANSWERED,
    OBJECTION_STATE,
    OBJECTIONS_OPEN,
    REOPEN_NO_ROOM,
    TRANSITION_NOT_ALLOWED,
    lock_fund_year,
    require_open,
    require_scope,
    require_secretary,
)
from funding.services.files import files_check, store_files


def _event(
    *, project: Project, source: str, target: str, actor: User, comment: str = ""
) -> ProjectEvent:
    return ProjectEvent.objects.create(
        project=project,
        from_state=source,
        to_state=target,
        actor=actor,
        comment=comment,
    )


@transaction.atomic
def project_propose(
    *,
    actor: User,
    fund_year: FundYear,
    category: Category,
    title: str,
    purpose: str,
    beneficiaries: str,
    expected_beneficiaries: int,
    estimated_cost: Decimal,
    today: date,
) -> Project:
    require_secretary(actor, fund_year.community_id)
    require_open(fund_year)
    # Words of a forbidden use only warn (the project page shows them to the
    # reviewers); the classification of each expense is what refuses.
    policy = selectors.policy_on(today).as_rule()
    project = Project(
        fund_year=fund_year,
        category=category,
        title=title.strip(),
        purpose=purpose.strip(),
        beneficiaries=beneficiaries.strip(),
        expected_beneficiaries=expected_beneficiaries,
        estimated_cost=round_cents(estimated_cost),
        proposed_by=actor,
        proposed_on=today,
        needs_district=rules.needs_district_approval(
            estimated_cost, policy.district_approval_threshold
        ),
    )
    project.full_clean()
    project.save()
    _event(project=project, source="", target=ProjectState.PROPOSED, actor=actor)
    return project


def _check_guards(
    *, transition: Transition, project: Project, fund_year: FundYear, today: date
) -> None:
    if (
        transition.requires_meeting
        and not project.meetings.filter(result=CouncilMeeting.Result.PASSED).exists()
    ):
        raise ValidationError(NEEDS_MEETING)
    if transition.requires_notice_over:
        ends_on = project.notice_ends_on
        if ends_on is None or not today > ends_on:
            raise ValidationError(NOTICE_NOT_OVER % {"day": ends_on or "—"})
        open_objections = project.objections.filter(answer="").count()
        if open_objections:
            raise ValidationError(OBJECTIONS_OPEN % {"count": open_objections})
    if transition.requires_expense and not project.expenses.exists():
        raise ValidationError(NO_EXPENSE)
    if transition.checks_spending:
        if selectors.pending_budget_change(project) is not None:
            raise ValidationError(ACCEPT_CHANGE_PENDING)
        spent = selectors.project_spent(project)
        over = rules.project_over_approved(approved=project.reserved, spent=spent)
        if over:
            raise ValidationError(
                ACCEPT_OVER_APPROVED
                % {
                    "spent": format_money(spent),
                    "approved": format_money(project.reserved),
                    "over": format_money(over),
                }
            )
    if (
        transition.to_state in RESERVING_STATES
        and transition.from_state not in RESERVING_STATES
        and not transition.reserves_money
        and project.reserved
    ):
        # Reopening an accepted project holds its unspent approved amount
        # again; it must still be there.
        outstanding = rules.outstanding_commitment(
            project.reserved, selectors.project_spent(project)
        )
        available = selectors.fund_year_figures(fund_year).available
        if not rules.approval_fits(available, outstanding):
            raise ValidationError(
                REOPEN_NO_ROOM
                % {
                    "outstanding": format_money(outstanding),
                    "available": format_money(available),
                }
            )
    if transition.reserves_money:
        figures = selectors.fund_year_figures(fund_year)
        cost = decimal_of(project.estimated_cost)
        if not rules.approval_fits(figures.available, cost):
            raise ValidationError(
                APPROVAL_OVERSPENDS
                % {
                    "cost": format_money(cost),
                    "available": format_money(figures.available),
                }
            )


def project_transition(
    *,
    actor: User,
    project: Project,
    to_state: str,
    today: date,
    comment: str = "",
) -> Project:
    """Move a project one step, if a transition row allows the actor's role.

    Inside one transaction the fund-year row is locked first, so two approvals
    on the same fund cannot both reserve the last of its money.
    """
    with transaction.atomic():
        fund_year = lock_fund_year(project.fund_year_id)
        project = Project.objects.select_for_update().get(pk=project.pk)
        require_scope(actor, fund_year.community_id)
        if actor.role == Role.SECRETARY:
            require_secretary(actor, fund_year.community_id)
        require_open(fund_year)
        candidates = [
            t
            for t in Transition.objects.filter(
                from_state=project.state, to_state=to_state, role=actor.role
            )
            if selectors.transition_applies(t, project)
        ]
        if not actor.is_active or not candidates:
            raise PermissionDenied(
                TRANSITION_NOT_ALLOWED % {"state": project.get_state_display()}
            )
        transition = candidates[0]
        if (
            transition.requires_comment
            or to_state in (ProjectState.REFUSED, ProjectState.WITHDRAWN)
        ) and not comment.strip():
            raise ValidationError({"comment": [COMMENT_REQUIRED]})
        _check_guards(
            transition=transition, project=project, fund_year=fund_year, today=today
        )
        source = project.state
        fields = ["state", "state_changed_at"]
        if transition.starts_notice:
            policy = selectors.policy_on(today).as_rule()
            project.notice_started_on = today
            project.notice_ends_on = rules.notice_ends_on(today, policy.notice_days)
            fields += ["notice_started_on", "notice_ends_on"]
        if transition.reserves_money:
            project.reserved = decimal_of(project.estimated_cost)
            fields.append("reserved")
        project.state = to_state
        project.state_changed_at = clock.now()
        project.save(update_fields=fields)
        _event(
            project=project,
            source=source,
            target=to_state,
            actor=actor,
            comment=comment.strip(),
        )
    return project


@transaction.atomic
def council_meeting_record(
    *,
    actor: User,
    project: Project,
    held_on: date,
    attendance: int,
    minutes: str,
    result: str,
    files: Sequence[UploadedFile] = (),
    today: date,
) -> CouncilMeeting:
    require_secretary(actor, project.fund_year.community_id)
    require_open(project.fund_year)
    if project.state != ProjectState.PROPOSED:
        raise ValidationError(MEETING_STATE)
    if held_on > today:
        raise ValidationError({"held_on": [DATE_IN_FUTURE]})
    problems = files_check(files, today=today)
    if problems:
        raise ValidationError({"files": problems})
    meeting = CouncilMeeting(
        project=project,
        held_on=held_on,
        attendance=attendance,
        minutes=minutes.strip(),
        result=result,
        recorded_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    store_files(
        actor=actor,
        files=list(files),
        folder=f"meetings/{project.fund_year_id}",
        meeting=meeting,
    )
    return meeting


def _require_project_officer(actor: User, project: Project) -> None:
    """The community's secretary, or a street/district officer in scope."""
    community_id = project.fund_year.community_id
    if actor.role == Role.SECRETARY:
        require_secretary(actor, community_id)
    elif actor.role in (Role.STREET_OFFICER, Role.DISTRICT_STAFF):
        require_scope(actor, community_id)
    else:
        raise PermissionDenied(NOT_SECRETARY)


@transaction.atomic
def objection_record(
    *, actor: User, project: Project, received_on: date, content: str, today: date
) -> Objection:
    _require_project_officer(actor, project)
    if project.state != ProjectState.ON_NOTICE:
        raise ValidationError(OBJECTION_STATE)
    if received_on > today:
        raise ValidationError({"received_on": [DATE_IN_FUTURE]})
    objection = Objection(
        project=project,
        received_on=received_on,
        content=content.strip(),
        recorded_by=actor,
    )
    objection.full_clean()
    objection.save()
    return objection


@transaction.atomic
def objection_answer(
    *, actor: User, objection: Objection, answer: str, today: date
) -> Objection:
    _require_project_officer(actor, objection.project)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.is_answered:
        raise ValidationError(OBJECTION_ANSWERED % {"day": objection.answered_on})
    if not answer.strip():
        raise ValidationError({"answer": [COMMENT_REQUIRED]})
    objection.answer = answer.strip()
    objection.answered_on = today
    objection.answered_by = actor
    objection.save(update_fields=["answer", "answered_on", "answered_by"])
    return objection

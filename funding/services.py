"""Writes of the fund: one function per use case, each in a transaction.

Who may act is checked here: the role (transition rows or the fund-admin
roles) and the scope (core.selectors). Any service that reserves or spends
money first locks the fund-year row with select_for_update.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import history
from core.decimals import ZERO, round_cents
from core.models import ChangeLog, Community, Role
from core.selectors import community_list_visible_to
from funding import rules, selectors
from funding.models import (
    SPENDING_STATES,
    Category,
    CouncilMeeting,
    Expense,
    FundYear,
    Objection,
    Project,
    ProjectEvent,
    ProjectState,
    StoredFile,
    Transition,
)

OUT_OF_SCOPE = gettext_lazy("该社区不在您的管理范围内。")
NOT_FUND_ADMIN = gettext_lazy("您的角色不能设置或结算资金年度。")
NOT_SECRETARY = gettext_lazy("只有本社区书记可以办理此事项。")
ALLOCATION_BELOW_FLOOR = gettext_lazy(
    "年度拨款 %(amount)s 元低于最低标准 %(minimum)s 元（每个社区每年不少于 "
    "%(minimum)s 元），不能保存。"
)
SOURCES_MISMATCH = gettext_lazy(
    "市、区、街道承担金额合计 %(total)s 元，与年度拨款 %(amount)s 元不一致。"
)
FUND_YEAR_EXISTS = gettext_lazy("%(community)s %(year)s 年度的资金已存在。")
FUND_YEAR_CLOSED = gettext_lazy("%(year)s 年度资金已结账，不能再办理。")
FUND_YEAR_OPEN_PROJECTS = gettext_lazy(
    "还有 %(count)s 个项目未办结（%(titles)s），不能结账。"
)
FORBIDDEN_USE = gettext_lazy(
    "不得用于“%(use)s”（涉及“%(keyword)s”），专项资金禁止此类用途。"
)
TRANSITION_NOT_ALLOWED = gettext_lazy("您的角色不能对“%(state)s”的项目执行此操作。")
NEEDS_MEETING = gettext_lazy("须先录入党群议事会记录且结果为“同意”。")
NOTICE_NOT_OVER = gettext_lazy("公示期至 %(day)s，期满后才能批准。")
OBJECTIONS_OPEN = gettext_lazy("还有 %(count)s 条公示异议未答复。")
APPROVAL_OVERSPENDS = gettext_lazy(
    "预算 %(cost)s 元超过可用资金 %(available)s 元，不能批准。"
)
COMMENT_REQUIRED = gettext_lazy("请填写理由。")
EXPENSE_STATE = gettext_lazy("只有已批准或实施中的项目可以登记支出。")
EXPENSE_OVERSPEND_WARNING = gettext_lazy(
    "注意：本笔支出超出项目预留和可用资金 %(over)s 元，资金已超支。"
)
EXPENSE_NEEDS_RECEIPT = gettext_lazy("请上传至少一张票据。")
DATE_IN_FUTURE = gettext_lazy("日期不能晚于今天。")
OBJECTION_STATE = gettext_lazy("只有公示中的项目可以登记异议。")
MEETING_STATE = gettext_lazy("只有已提议的项目可以录入议事会记录。")
RECEIPT_MESSAGES = {
    "type": gettext_lazy("“%(name)s”不是允许的文件类型（只接受 %(types)s）。"),
    "content": gettext_lazy("“%(name)s”的内容与文件类型不符。"),
    "size": gettext_lazy("“%(name)s”超过 %(limit)s MB 的大小限制。"),
    "empty": gettext_lazy("“%(name)s”是空文件。"),
}

# States from which a fund year may be closed: everything settled.
SETTLED_STATES = (
    ProjectState.ACCEPTED,
    ProjectState.PUBLISHED,
    ProjectState.REFUSED,
    ProjectState.WITHDRAWN,
)


def _require_scope(actor: Any, community: Community | int) -> None:
    community_id = getattr(community, "pk", community)
    if not community_list_visible_to(user=actor).filter(pk=community_id).exists():
        raise PermissionDenied(OUT_OF_SCOPE)


def _require_fund_admin(actor: Any) -> None:
    if not selectors.user_administers_funds(actor):
        raise PermissionDenied(NOT_FUND_ADMIN)


def _require_secretary(actor: Any, community_id: int) -> None:
    if not (
        actor.is_authenticated
        and actor.is_active
        and actor.role == Role.SECRETARY
        and actor.community_id == community_id
    ):
        raise PermissionDenied(NOT_SECRETARY)


def _require_open(fund_year: FundYear) -> None:
    if not fund_year.is_open:
        raise ValidationError(FUND_YEAR_CLOSED % {"year": fund_year.year})


def _lock_fund_year(pk: int) -> FundYear:
    return FundYear.objects.select_for_update().get(pk=pk)


def _refuse_forbidden(texts: Iterable[str], field: str | None = None) -> None:
    found = rules.forbidden_uses_in(texts, selectors.forbidden_use_rules())
    if found:
        messages = [
            FORBIDDEN_USE % {"use": use.name, "keyword": keyword}
            for use, keyword in found
        ]
        raise ValidationError({field: messages} if field else messages)


# Fund years ------------------------------------------------------------------


def _check_allocation(
    *,
    allocation: Decimal,
    shares: tuple[Decimal, Decimal, Decimal],
    policy: rules.Policy,
) -> None:
    errors: dict[str, list[str]] = {}
    if not rules.allocation_meets_floor(allocation, policy.minimum_allocation):
        errors["allocation"] = [
            ALLOCATION_BELOW_FLOOR
            % {"amount": allocation, "minimum": policy.minimum_allocation}
        ]
    if not rules.sources_match(allocation, shares):
        errors.setdefault("city_share", []).append(
            SOURCES_MISMATCH
            % {"total": round_cents(sum(shares, ZERO)), "amount": allocation}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def fund_year_set(
    *,
    actor: Any,
    community: Community,
    year: int,
    allocation: Decimal,
    city_share: Decimal,
    district_share: Decimal,
    street_share: Decimal,
    create_only: bool = False,
) -> FundYear:
    """Create a community's fund year, or change the allocation of an open one.

    The carried-in amount comes from the previous year's closing.
    """
    _require_fund_admin(actor)
    _require_scope(actor, community)
    policy = selectors.policy_on(date(year, 1, 1)).as_rule()
    _check_allocation(
        allocation=allocation,
        shares=(city_share, district_share, street_share),
        policy=policy,
    )
    fund_year = (
        FundYear.objects.select_for_update()
        .filter(community=community, year=year)
        .first()
    )
    before: dict[str, Any] = {}
    fields = ("allocation", "city_share", "district_share", "street_share")
    if fund_year is not None:
        if create_only:
            raise ValidationError(
                FUND_YEAR_EXISTS % {"community": community.name, "year": year}
            )
        _require_open(fund_year)
        before = history.snapshot(fund_year, fields)
    else:
        previous = FundYear.objects.filter(
            community=community, year=year - 1, status=FundYear.Status.CLOSED
        ).first()
        fund_year = FundYear(
            community=community,
            year=year,
            carried_in=previous.carried_out if previous else ZERO,
        )
    fund_year.allocation = round_cents(allocation)
    fund_year.city_share = round_cents(city_share)
    fund_year.district_share = round_cents(district_share)
    fund_year.street_share = round_cents(street_share)
    fund_year.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            fund_year.save()
    except IntegrityError:
        raise ValidationError(
            FUND_YEAR_EXISTS % {"community": community.name, "year": year}
        ) from None
    changes = history.diff(before, history.snapshot(fund_year, fields))
    if changes:
        history.change_record(
            actor=actor,
            instance=fund_year,
            action=ChangeLog.Action.UPDATE if before else ChangeLog.Action.CREATE,
            changes=changes,
        )
    return fund_year


@transaction.atomic
def fund_year_close(*, actor: Any, fund_year: FundYear, today: date) -> FundYear:
    """Lock the year; carry what is left into next year when the policy allows.

    Refused while projects are unsettled. If next year's fund exists, its
    carried-in amount is set now; otherwise it is taken when it is created.
    """
    _require_fund_admin(actor)
    _require_scope(actor, fund_year.community_id)
    fund_year = _lock_fund_year(fund_year.pk)
    _require_open(fund_year)
    unsettled = list(fund_year.projects.exclude(state__in=SETTLED_STATES))
    if unsettled:
        raise ValidationError(
            FUND_YEAR_OPEN_PROJECTS
            % {
                "count": len(unsettled),
                "titles": "、".join(p.title for p in unsettled[:5]),
            }
        )
    figures = selectors.fund_year_figures(fund_year)
    policy = selectors.policy_on(today).as_rule()
    fund_year.carried_out = rules.carry_over(
        allocation=fund_year.allocation,
        carried_in=fund_year.carried_in,
        spent=figures.spent,
        allowed=policy.carry_over_allowed,
    )
    fund_year.status = FundYear.Status.CLOSED
    fund_year.closed_at = timezone.now()
    fund_year.closed_by = actor
    fund_year.save(update_fields=["carried_out", "status", "closed_at", "closed_by"])
    history.change_record(
        actor=actor,
        instance=fund_year,
        action=ChangeLog.Action.UPDATE,
        changes={
            "status": ["open", "closed"],
            "carried_out": [None, str(fund_year.carried_out)],
        },
    )
    following = (
        FundYear.objects.select_for_update()
        .filter(community_id=fund_year.community_id, year=fund_year.year + 1)
        .first()
    )
    if following is not None and following.is_open:
        old = following.carried_in
        following.carried_in = fund_year.carried_out
        following.save(update_fields=["carried_in"])
        history.change_record(
            actor=actor,
            instance=following,
            action=ChangeLog.Action.UPDATE,
            changes={"carried_in": [str(old), str(following.carried_in)]},
            note=_("上年结账结转"),
        )
    return fund_year


# Projects --------------------------------------------------------------------


def _event(
    *, project: Project, source: str, target: str, actor: Any, comment: str = ""
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
    actor: Any,
    fund_year: FundYear,
    category: Category,
    title: str,
    purpose: str,
    beneficiaries: str,
    expected_beneficiaries: int,
    estimated_cost: Decimal,
    today: date,
) -> Project:
    _require_secretary(actor, fund_year.community_id)
    _require_open(fund_year)
    _refuse_forbidden([title, purpose, beneficiaries], "purpose")
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
    if transition.reserves_money:
        _refuse_forbidden([project.title, project.purpose, project.beneficiaries])
        figures = selectors.fund_year_figures(fund_year)
        if not rules.approval_fits(figures.available, project.estimated_cost):
            raise ValidationError(
                APPROVAL_OVERSPENDS
                % {"cost": project.estimated_cost, "available": figures.available}
            )


def project_transition(
    *,
    actor: Any,
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
        fund_year = _lock_fund_year(project.fund_year_id)
        project = Project.objects.select_for_update().get(pk=project.pk)
        _require_scope(actor, fund_year.community_id)
        if actor.role == Role.SECRETARY:
            _require_secretary(actor, fund_year.community_id)
        _require_open(fund_year)
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
            to_state in (ProjectState.REFUSED, ProjectState.WITHDRAWN)
            and not comment.strip()
        ):
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
            project.reserved = project.estimated_cost
            fields.append("reserved")
        project.state = to_state
        project.state_changed_at = timezone.now()
        project.save(update_fields=fields)
        _event(
            project=project,
            source=source,
            target=to_state,
            actor=actor,
            comment=comment.strip(),
        )
    return project


# Meetings and objections -------------------------------------------------------


def files_check(files: Iterable[Any], *, today: date) -> list[str]:
    """Chinese messages for every unacceptable upload ([] when all are fine)."""
    policy = selectors.policy_on(today).as_rule()
    messages = []
    for uploaded in files:
        head = uploaded.read(16)
        uploaded.seek(0)
        name = rules.sanitise_filename(uploaded.name or "")
        for code in rules.receipt_problems(
            filename=name, size=uploaded.size or 0, head=head, policy=policy
        ):
            messages.append(
                str(RECEIPT_MESSAGES[code])
                % {
                    "name": name,
                    "types": "、".join(policy.allowed_receipt_types),
                    "limit": round(policy.max_receipt_bytes / 1024 / 1024, 1),
                }
            )
    return messages


def _store_file(
    *, actor: Any, uploaded: Any, folder: str, written: list[Path], **owner: Any
) -> StoredFile:
    name = rules.sanitise_filename(uploaded.name or "")
    kind = rules.receipt_type(name)
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    relative = f"funding/{folder}/{uuid.uuid4().hex}.{kind}"
    target = (root / relative).resolve()
    if root not in target.parents:  # a random name never escapes; stay sure
        raise ValidationError(_("文件路径无效。"))
    target.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with target.open("xb") as out:
        written.append(target)
        for chunk in uploaded.chunks():
            out.write(chunk)
            size += len(chunk)
    return StoredFile.objects.create(
        kind=kind, name=name, path=relative, size=size, uploaded_by=actor, **owner
    )


def _store_files(
    *, actor: Any, files: list[Any], folder: str, **owner: Any
) -> list[StoredFile]:
    """Write the files last in the service; if writing fails, remove them.

    A later rollback could only leave orphans with random names, which no
    view can reach because no row points at them.
    """
    written: list[Path] = []

    def cleanup() -> None:
        for path in written:
            path.unlink(missing_ok=True)

    try:
        stored = [
            _store_file(
                actor=actor, uploaded=f, folder=folder, written=written, **owner
            )
            for f in files
        ]
    except BaseException:
        cleanup()
        raise
    return stored


@transaction.atomic
def council_meeting_record(
    *,
    actor: Any,
    project: Project,
    held_on: date,
    attendance: int,
    minutes: str,
    result: str,
    files: list[Any] | tuple[Any, ...] = (),
    today: date,
) -> CouncilMeeting:
    _require_secretary(actor, project.fund_year.community_id)
    _require_open(project.fund_year)
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
    _store_files(
        actor=actor,
        files=list(files),
        folder=f"meetings/{project.fund_year_id}",
        meeting=meeting,
    )
    return meeting


def _require_project_officer(actor: Any, project: Project) -> None:
    """The community's secretary, or a street/district officer in scope."""
    community_id = project.fund_year.community_id
    if actor.role == Role.SECRETARY:
        _require_secretary(actor, community_id)
    elif actor.role in (Role.STREET_OFFICER, Role.DISTRICT_STAFF):
        _require_scope(actor, community_id)
    else:
        raise PermissionDenied(NOT_SECRETARY)


@transaction.atomic
def objection_record(
    *, actor: Any, project: Project, received_on: date, content: str, today: date
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
    *, actor: Any, objection: Objection, answer: str, today: date
) -> Objection:
    _require_project_officer(actor, objection.project)
    if not answer.strip():
        raise ValidationError({"answer": [COMMENT_REQUIRED]})
    objection.answer = answer.strip()
    objection.answered_on = today
    objection.answered_by = actor
    objection.save(update_fields=["answer", "answered_on", "answered_by"])
    return objection


# Spending ----------------------------------------------------------------------


def expense_record(
    *,
    actor: Any,
    project: Project,
    payee: str,
    paid_on: date,
    amount: Decimal,
    description: str,
    files: list[Any] | tuple[Any, ...],
    today: date,
    payee_is_person: bool = False,
) -> tuple[Expense, list[str]]:
    """Record an expense with its receipts; return it and any warnings.

    An expense that would overspend the fund is saved with a warning (A9:
    warned about when saved); approvals are where overspending is refused.
    """
    with transaction.atomic():
        fund_year = _lock_fund_year(project.fund_year_id)
        project = Project.objects.get(pk=project.pk)
        _require_secretary(actor, fund_year.community_id)
        _require_open(fund_year)
        if project.state not in SPENDING_STATES:
            raise ValidationError(EXPENSE_STATE)
        errors: dict[str, list[str]] = {}
        if paid_on > today:
            errors["paid_on"] = [str(DATE_IN_FUTURE)]
        if not files:
            errors["files"] = [str(EXPENSE_NEEDS_RECEIPT)]
        else:
            problems = files_check(files, today=today)
            if problems:
                errors["files"] = problems
        if errors:
            raise ValidationError(errors)
        _refuse_forbidden([description, payee], "description")
        figures = selectors.fund_year_figures(fund_year)
        over = rules.expense_overspend(
            available=figures.available,
            project_outstanding=selectors.project_outstanding(project),
            amount=amount,
        )
        expense = Expense(
            project=project,
            payee=payee.strip(),
            payee_is_person=payee_is_person,
            paid_on=paid_on,
            amount=round_cents(amount),
            description=description.strip(),
            recorded_by=actor,
        )
        expense.full_clean()
        expense.save()
        _store_files(
            actor=actor,
            files=list(files),
            folder=f"receipts/{fund_year.pk}",
            expense=expense,
        )
    warnings = [str(EXPENSE_OVERSPEND_WARNING % {"over": over})] if over else []
    return expense, warnings


def stored_file_path(stored: StoredFile) -> Path:
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    path = (root / stored.path).resolve()
    if root not in path.parents:
        raise PermissionDenied
    return path

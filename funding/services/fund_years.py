"""Fund years: allocation, sources, closing and carry-over."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock, history
from core.decimals import ZERO, round_cents
from core.models import ChangeLog, Community, Role, User
from core.money import decimal_of, format_money
from funding import rules, selectors
from funding.models import (
    RESERVING_STATES,
    CarryForward,
    FundYear,
    Project,
    ProjectEvent,
    ProjectState,
)
from funding.services._common import (
    ALLOCATION_BELOW_FLOOR,
    ALLOCATION_BELOW_USE,
    COMMENT_REQUIRED,
    FUND_YEAR_EXISTS,
    SETTLED_STATES,
    SOURCES_MISMATCH,
    lock_fund_year,
    require_fund_admin,
    require_open,
    require_scope,
    require_secretary,
)

CARRY_STATE = gettext_lazy("只有已批准、实施中、待验收或重新打开的项目可以结转下年。")
CARRY_NOT_REQUESTED = gettext_lazy("该项目没有待审批的结转申请。")
CARRY_ALREADY = gettext_lazy("该项目已申请结转（%(status)s）。")
CARRY_NOT_STREET = gettext_lazy("只有街道工作人员可以审批结转。")
CARRY_REQUEST_NOTE = gettext_lazy("申请结转下年：%(reason)s")
CARRY_APPROVE_NOTE = gettext_lazy("同意结转下年。%(comment)s")
CARRY_REFUSE_NOTE = gettext_lazy("不同意结转下年：%(comment)s")
CARRIED_NOTE = gettext_lazy(
    "年度结账，结转下年，剩余批准金额 %(amount)s 元随项目结转。"
)
CONTINUED_NOTE = gettext_lazy("由 %(year)s 年度结转，剩余批准金额 %(amount)s 元。")
LAPSED_NOTE = gettext_lazy("年度结账时未办结，也未经同意结转，项目终止。")


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
            % {
                "amount": format_money(allocation),
                "minimum": format_money(policy.minimum_allocation),
            }
        ]
    if not rules.sources_match(allocation, shares):
        # Not tied to one share: the message names the three columns.
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            SOURCES_MISMATCH
            % {
                "total": format_money(sum(shares, ZERO)),
                "amount": format_money(allocation),
            }
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def fund_year_set(
    *,
    actor: User,
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
    require_fund_admin(actor)
    require_scope(actor, community)
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
    before: dict[str, object] = {}
    carry_from: FundYear | None = None
    fields = ("allocation", "city_share", "district_share", "street_share")
    if fund_year is not None:
        if create_only:
            raise ValidationError(
                FUND_YEAR_EXISTS % {"community": community.name, "year": year}
            )
        require_open(fund_year)
        # A lower allocation may not leave approved projects unfunded.
        fund_year = lock_fund_year(fund_year.pk)
        figures = selectors.fund_year_figures(fund_year)
        used = figures.committed + figures.spent
        if round_cents(allocation) + fund_year.carried_in < used:
            raise ValidationError(
                {
                    "allocation": [
                        ALLOCATION_BELOW_USE
                        % {
                            "total": format_money(allocation + fund_year.carried_in),
                            "used": format_money(used),
                        }
                    ]
                }
            )
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
        carry_from = previous
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
    if carry_from is not None:
        _continue_carried_projects(
            previous=carry_from, following=fund_year, actor=actor
        )
    return fund_year


def _continue_carried_projects(
    *, previous: FundYear, following: FundYear, actor: User
) -> list[Project]:
    """Open each project carried out of ``previous`` in ``following``, holding
    its remaining commitment (once: a carried project has one continuation)."""
    created = []
    for old in previous.projects.filter(
        state=ProjectState.CARRIED, continuation__isnull=True
    ).select_related("category"):
        remaining = rules.outstanding_commitment(
            old.reserved, selectors.project_spent(old)
        )
        started = old.events.filter(to_state=ProjectState.IN_PROGRESS).exists()
        state = ProjectState.IN_PROGRESS if started else ProjectState.APPROVED
        project = Project.objects.create(
            fund_year=following,
            category=old.category,
            title=old.title,
            purpose=old.purpose,
            beneficiaries=old.beneficiaries,
            expected_beneficiaries=old.expected_beneficiaries,
            estimated_cost=remaining,
            reserved=remaining,
            state=state,
            proposed_by=old.proposed_by,
            proposed_on=date(following.year, 1, 1),
            needs_district=old.needs_district,
            notice_started_on=old.notice_started_on,
            notice_ends_on=old.notice_ends_on,
            carried_from=old,
        )
        ProjectEvent.objects.create(
            project=project,
            from_state="",
            to_state=state,
            actor=actor,
            comment=str(
                CONTINUED_NOTE
                % {"year": previous.year, "amount": format_money(remaining)}
            ),
        )
        created.append(project)
    return created


def _project_event(project: Project, actor: User, comment: str, to: str = "") -> None:
    ProjectEvent.objects.create(
        project=project,
        from_state=project.state,
        to_state=to or project.state,
        actor=actor,
        comment=comment,
    )


@transaction.atomic
def project_carry_forward_request(
    *, actor: User, project: Project, reason: str
) -> Project:
    """The secretary (or a fund administrator closing the year) asks to carry
    an unfinished project into next year; the street decides."""
    fund_year = lock_fund_year(project.fund_year_id)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if actor.role == Role.SECRETARY:
        require_secretary(actor, fund_year.community_id)
    else:
        require_fund_admin(actor)
        require_scope(actor, fund_year.community_id)
    require_open(fund_year)
    if project.state not in RESERVING_STATES:
        raise ValidationError(CARRY_STATE)
    if project.carry_forward in (CarryForward.REQUESTED, CarryForward.APPROVED):
        raise ValidationError(
            CARRY_ALREADY % {"status": project.get_carry_forward_display()}
        )
    if not reason.strip():
        raise ValidationError({"reason": [COMMENT_REQUIRED]})
    project.carry_forward = CarryForward.REQUESTED
    project.carry_forward_reason = reason.strip()[:200]
    project.save(update_fields=["carry_forward", "carry_forward_reason"])
    _project_event(project, actor, str(CARRY_REQUEST_NOTE % {"reason": reason.strip()}))
    return project


@transaction.atomic
def project_carry_forward_decide(
    *, actor: User, project: Project, approve: bool, comment: str = ""
) -> Project:
    fund_year = lock_fund_year(project.fund_year_id)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not actor.is_active or actor.role != Role.STREET_OFFICER:
        raise PermissionDenied(CARRY_NOT_STREET)
    require_scope(actor, fund_year.community_id)
    require_open(fund_year)
    if project.carry_forward != CarryForward.REQUESTED:
        raise ValidationError(CARRY_NOT_REQUESTED)
    if not approve and not comment.strip():
        raise ValidationError({"comment": [COMMENT_REQUIRED]})
    project.carry_forward = CarryForward.APPROVED if approve else CarryForward.REFUSED
    project.save(update_fields=["carry_forward"])
    note = CARRY_APPROVE_NOTE if approve else CARRY_REFUSE_NOTE
    _project_event(project, actor, str(note % {"comment": comment.strip()}).strip())
    return project


@transaction.atomic
def fund_year_close(*, actor: User, fund_year: FundYear, today: date) -> FundYear:
    """Lock the year; carry what is left into next year when the policy allows.

    Closing never waits for unfinished projects: each one the street agreed to
    carry forward moves to next year with its remaining commitment (the money
    goes with it in the closing balance); any other unfinished project ends
    here (lapsed), releasing what it held. If next year's fund exists, its
    carried-in amount and the carried projects are set now; otherwise when it
    is created.
    """
    require_fund_admin(actor)
    require_scope(actor, fund_year.community_id)
    fund_year = lock_fund_year(fund_year.pk)
    require_open(fund_year)
    carried_commitment = ZERO
    for project in fund_year.projects.exclude(state__in=SETTLED_STATES):
        if (
            project.state in RESERVING_STATES
            and project.carry_forward == CarryForward.APPROVED
        ):
            remaining = rules.outstanding_commitment(
                project.reserved, selectors.project_spent(project)
            )
            carried_commitment += remaining
            note = CARRIED_NOTE % {"amount": format_money(remaining)}
            _project_event(project, actor, str(note), to=ProjectState.CARRIED)
            project.state = ProjectState.CARRIED
        else:
            _project_event(project, actor, str(LAPSED_NOTE), to=ProjectState.LAPSED)
            project.state = ProjectState.LAPSED
        project.state_changed_at = clock.now()
        project.save(update_fields=["state", "state_changed_at"])
    figures = selectors.fund_year_figures(fund_year)
    policy = selectors.policy_on(today).as_rule()
    fund_year.carried_out = rules.closing_balance(
        allocation=decimal_of(fund_year.allocation),
        carried_in=fund_year.carried_in,
        spent=figures.spent,
        carried_commitment=carried_commitment,
        allowed=policy.carry_over_allowed,
    )
    fund_year.status = FundYear.Status.CLOSED
    fund_year.closed_at = clock.now()
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
        _continue_carried_projects(previous=fund_year, following=following, actor=actor)
    return fund_year

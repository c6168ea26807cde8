"""Fund years: allocation, sources, closing and carry-over."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import clock, history
from core.decimals import ZERO, round_cents
from core.models import ChangeLog, Community
from funding import rules, selectors
from funding.models import (
    FundYear,
)
from funding.services._common import (
    ALLOCATION_BELOW_FLOOR,
    ALLOCATION_BELOW_USE,
    FUND_YEAR_EXISTS,
    FUND_YEAR_OPEN_PROJECTS,
    SETTLED_STATES,
    SOURCES_MISMATCH,
    lock_fund_year,
    require_fund_admin,
    require_open,
    require_scope,
)


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
                "amount": rules.format_yuan(allocation),
                "minimum": rules.format_yuan(policy.minimum_allocation),
            }
        ]
    if not rules.sources_match(allocation, shares):
        # Not tied to one share: the message names the three columns.
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            SOURCES_MISMATCH
            % {
                "total": rules.format_yuan(sum(shares, ZERO)),
                "amount": rules.format_yuan(allocation),
            }
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
    before: dict[str, Any] = {}
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
                            "total": rules.format_yuan(
                                allocation + fund_year.carried_in
                            ),
                            "used": rules.format_yuan(used),
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
    require_fund_admin(actor)
    require_scope(actor, fund_year.community_id)
    fund_year = lock_fund_year(fund_year.pk)
    require_open(fund_year)
    unsettled = list(fund_year.projects.exclude(state__in=SETTLED_STATES))
    if unsettled:
        raise ValidationError(
            FUND_YEAR_OPEN_PROJECTS
            % {
                "count": len(unsettled),
                "titles": _("、").join(p.title for p in unsettled[:5]),
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
    return fund_year

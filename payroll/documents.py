"""The bulk documents payroll offers to core's batches: a cycle's payslips,
one PDF per community; all annuity statements of a year."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock
from core.extensions import BatchKind
from core.selectors import user_sees_employer_cost

# Annuity statements per part: one task each.
STATEMENTS_PER_PART = 50
CYCLE_NOT_PRINTABLE = gettext_lazy("工资周期审核后才能批量打印工资条。")


def _cycle(params: dict[str, Any], user: Any) -> Any:
    from payroll.cycles.selectors import payroll_cycle_list_visible_to

    try:
        pk = int(params.get("cycle") or 0)
    except ValueError:
        pk = 0
    cycle = payroll_cycle_list_visible_to(user=user).filter(pk=pk).first()
    if cycle is None or cycle.status not in ("approved", "locked"):
        raise ValidationError(CYCLE_NOT_PRINTABLE)
    return cycle


def payslip_parts(params: dict[str, Any], user: Any) -> list[tuple[dict, str]]:
    """One part per community of the cycle inside the user's scope."""
    from payroll.cycles.selectors import payslip_list_visible_to

    cycle = _cycle(params, user)
    communities = (
        payslip_list_visible_to(user=user)
        .filter(cycle=cycle)
        .values_list("community_id", "community__name")
        .order_by("community__code")
        .distinct()
    )
    return [({"community": pk}, name) for pk, name in communities]


def payslip_part_issue(
    key: dict[str, Any], params: dict[str, Any], user: Any, batch: Any
) -> list[Any]:
    from core.selectors import community_list_visible_to
    from payroll.cycles.pdf import payslip_bundle_issue

    cycle = _cycle(params, user)
    community = community_list_visible_to(user=user).get(pk=key["community"])
    document = payslip_bundle_issue(
        cycle=cycle,
        community=community,
        issued_by=user,
        with_employer=user_sees_employer_cost(user),
        batch=batch,
    )
    return [document] if document else []


def payslip_title(params: dict[str, Any]) -> str:
    from payroll.models import PayrollCycle

    cycle_pk = params.get("cycle")
    cycle = (
        PayrollCycle.objects.filter(pk=cycle_pk).first()
        if cycle_pk is not None
        else None
    )
    return _("工资条 %(cycle)s") % {"cycle": cycle or ""}


def _statement_day(params: dict[str, Any]) -> date:
    try:
        year = int(params.get("year") or 0)
    except ValueError:
        year = 0
    today = clock.today()
    if not 2000 <= year <= today.year:
        year = today.year
    return min(date(year, 12, 31), today)


def annuity_parts(params: dict[str, Any], user: Any) -> list[tuple[dict, str]]:
    from payroll.annuity.selectors import annuity_account_list_visible_to

    accounts = list(
        annuity_account_list_visible_to(user=user)
        .order_by("worker__community__code", "worker__full_name", "pk")
        .values_list("pk", "worker__full_name")
    )
    parts = []
    for start in range(0, len(accounts), STATEMENTS_PER_PART):
        piece = accounts[start : start + STATEMENTS_PER_PART]
        label = piece[0][1] if len(piece) == 1 else f"{piece[0][1]}…{piece[-1][1]}"
        parts.append(({"accounts": [pk for pk, _name in piece]}, label))
    return parts


def annuity_part_issue(
    key: dict[str, Any], params: dict[str, Any], user: Any, batch: Any
) -> list[Any]:
    from payroll.annuity.pdf import statement_issue
    from payroll.annuity.selectors import annuity_account_list_visible_to

    on = _statement_day(params)
    accounts = annuity_account_list_visible_to(user=user).filter(pk__in=key["accounts"])
    return [
        statement_issue(account=account, on=on, issued_by=user, batch=batch)
        for account in accounts.order_by("worker__community__code", "pk")
    ]


def document_batch_kinds() -> list[BatchKind]:
    return [
        BatchKind(
            key="payroll.payslips",
            label=gettext_lazy("工资条（按社区）"),
            parts=payslip_parts,
            issue=payslip_part_issue,
            title=payslip_title,
            order=20,
        ),
        BatchKind(
            key="payroll.annuity_statements",
            label=gettext_lazy("企业年金个人账户对账单（批量）"),
            parts=annuity_parts,
            issue=annuity_part_issue,
            title=lambda params: (
                _("%(year)s 年企业年金个人账户对账单")
                % {"year": _statement_day(params).year}
            ),
            order=30,
        ),
    ]

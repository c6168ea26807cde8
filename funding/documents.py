"""The bulk documents funding offers to core's batches: all fund statements
of a year inside the requesting user's scope (optionally one district or
street), issued in parts of a few communities each."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.extensions import BatchKind
from funding import selectors

# Fund years per part: each part is one task; small enough that a lost worker
# repeats little, large enough that the per-task cost stays negligible.
STATEMENTS_PER_PART = 20


def _fund_years(params: dict[str, Any], user: Any) -> Any:
    years = selectors.fund_year_list_visible_to(user=user).filter(
        year=int(params.get("year") or 0)
    )
    if params.get("district"):
        years = years.filter(community__street__district__code=params["district"])
    if params.get("street"):
        years = years.filter(community__street__code=params["street"])
    return years.order_by("community__code")


def statement_parts(
    params: dict[str, Any], user: Any
) -> list[tuple[dict[str, Any], str]]:
    ids = list(_fund_years(params, user).values_list("pk", "community__name"))
    parts = []
    for start in range(0, len(ids), STATEMENTS_PER_PART):
        piece = ids[start : start + STATEMENTS_PER_PART]
        label = piece[0][1] if len(piece) == 1 else f"{piece[0][1]}…{piece[-1][1]}"
        parts.append(({"fund_years": [pk for pk, _name in piece]}, label))
    return parts


def statement_part_issue(
    key: dict[str, Any], params: dict[str, Any], user: Any, batch: Any
) -> list[Any]:
    from funding.pdf import statement_issue

    # Scope is checked again: the part's ids came from the user's scope, and
    # a user whose scope shrank since gets only what they still may see.
    years = selectors.fund_year_list_visible_to(user=user).filter(
        pk__in=key["fund_years"]
    )
    return [
        statement_issue(fund_year=fund_year, issued_by=user, batch=batch)
        for fund_year in years.order_by("community__code")
    ]


def document_batch_kinds() -> list[BatchKind]:
    return [
        BatchKind(
            key="funding.statements",
            label=gettext_lazy("为民服务专项资金收支明细（批量）"),
            parts=statement_parts,
            issue=statement_part_issue,
            title=lambda params: (
                _("%(year)s 年度为民服务专项资金收支明细")
                % {"year": params.get("year")}
            ),
            order=60,
        )
    ]

"""The fund's policy and reference lists: the policy in force on a day, the
forbidden uses, categories, expense classes and the keyword warnings.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from funding import rules
from funding.models import (
    Category,
    ExpenseClass,
    ForbiddenUse,
    FundPolicy,
)

NO_POLICY = gettext_lazy("尚未设置资金政策参数，请在管理后台添加。")
KEYWORD_WARNING = gettext_lazy(
    "请核实：内容涉及“%(keyword)s”，可能属于“%(use)s”（专项资金禁止此类用途）。"
)


class PolicyMissing(LookupError):
    pass


def policy_on(day: date) -> FundPolicy:
    """The fund policy in force on ``day`` (the newest row not after it)."""
    policy = (
        FundPolicy.objects.filter(effective_on__lte=day)
        .order_by("-effective_on")
        .first()
    )
    if policy is None:
        raise PolicyMissing(str(NO_POLICY))
    return policy


def forbidden_use_rules() -> list[rules.ForbiddenUse]:
    return [use.as_rule() for use in ForbiddenUse.objects.filter(is_active=True)]


def category_list() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True)


def expense_class_list(day: date) -> QuerySet[ExpenseClass]:
    """The classifications an expense paid on ``day`` may name."""
    return ExpenseClass.objects.filter(effective_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=day)
    )


def keyword_warnings(
    texts: list[str], uses: list[rules.ForbiddenUse] | None = None
) -> list[str]:
    """Warnings for the reviewer when a text mentions a forbidden use's words.

    Words never decide (a 补贴 to an elderly resident's meals is allowed); the
    classification does. The reviewer reads these before approving. Pass
    ``uses`` when checking many texts, to read the list once.
    """
    if uses is None:
        uses = forbidden_use_rules()
    return [
        str(KEYWORD_WARNING % {"keyword": keyword, "use": _(use.name)})
        for use, keyword in rules.forbidden_uses_in(texts, uses)
    ]

"""The functions that write the fund's reference rows: only the missing ones,
so staff edits in the admin are kept (the data migration calls them with
historical models, tests and the demo with the real ones).
"""

from __future__ import annotations

from typing import Any

# Names are stored in Chinese; gettext_noop puts them in the message catalogue
# so the pages can show the shipped ones in English (names typed in the admin
# are shown as typed).
from django.utils.translation import gettext_noop

from .expense_classes import expense_classes_ensure
from .policy import CATEGORIES, FORBIDDEN_USES, POLICY
from .transitions import RETIRED_TRANSITIONS, TRANSITION_FLAGS, TRANSITIONS

for _state in ("proposed", "discussed", "street_reviewed", "on_notice"):
    TRANSITIONS.append(
        (
            _state,
            "refused",
            "street_officer",
            gettext_noop("不予通过"),
            None,
            False,
            False,
            False,
            False,
        )
    )
    TRANSITIONS.append(
        (
            _state,
            "withdrawn",
            "secretary",
            gettext_noop("撤回"),
            None,
            False,
            False,
            False,
            False,
        )
    )


def reference_data_ensure(
    *,
    policy_model: Any,
    category_model: Any,
    forbidden_model: Any,
    transition_model: Any,
    expense_class_model: Any = None,
) -> None:
    if not policy_model.objects.exists():
        policy_model.objects.create(**POLICY)
    for code, name, description, order in CATEGORIES:
        category_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "description": description, "sort_order": order},
        )
    for code, name, keywords in FORBIDDEN_USES:
        forbidden_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "keywords": keywords,
                "source_note": "专项资金不得列支的范围（演示值）",
            },
        )
    # Older migrations call this with models that lack the newer flags.
    known = {f.name for f in transition_model._meta.get_fields()}
    for order, row in enumerate(TRANSITIONS, 1):
        (source, target, role, label, district, meeting, notice, starts, reserves) = row
        defaults = {
            "label": label,
            "requires_district": district,
            "requires_meeting": meeting,
            "requires_notice_over": notice,
            "starts_notice": starts,
            "reserves_money": reserves,
            "sort_order": order,
        }
        for flag, steps in TRANSITION_FLAGS.items():
            if flag in known:
                defaults[flag] = (source, target, role) in steps
        transition_model.objects.get_or_create(
            from_state=source, to_state=target, role=role, defaults=defaults
        )
    if expense_class_model is not None:
        expense_classes_ensure(expense_class_model)


def reference_data_ensure_current() -> None:
    """The same with the current models (tests, demo, after a flush)."""
    from funding.models import (
        Category,
        ExpenseClass,
        ForbiddenUse,
        FundPolicy,
        Transition,
    )

    for source, target, role in RETIRED_TRANSITIONS:
        Transition.objects.filter(
            from_state=source, to_state=target, role=role
        ).delete()
    reference_data_ensure(
        policy_model=FundPolicy,
        category_model=Category,
        forbidden_model=ForbiddenUse,
        transition_model=Transition,
        expense_class_model=ExpenseClass,
    )


def reference_load() -> None:
    """Called by core's load_reference command."""
    reference_data_ensure_current()

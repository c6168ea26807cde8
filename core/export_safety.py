"""What every spreadsheet the system writes goes through: masking and formula escaping.

Two rules, one place, so that a new export cannot forget them:

- **Masking**: citizen ID numbers and bank accounts are masked unless the
  user's role needs them (``core.selectors.user_sees_full_id`` /
  ``user_sees_full_bank``). With no user (a management command) nothing is
  shown in full either.
- **Formula escaping**: a text cell that a spreadsheet would read as a formula
  (starting with ``= + - @``, a tab or a carriage return) gets a leading
  apostrophe. Numbers written as numbers, and text that is just a number such
  as "-12.50", stay as they are, so negative amounts remain numeric.

Resources (django-import-export) inherit ``SafeExportMixin``; hand-written
writers call ``safe_row`` on each row (``core.exports.append_row`` does).
A test walks every Resource class of the project and fails if one does not
use the mixin.
"""

from __future__ import annotations

import re
from typing import Any

from core.rules import mask_account, mask_citizen_id
from core.selectors import user_sees_full_bank, user_sees_full_id

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")

ID_NUMBER = "id_number"
BANK_ACCOUNT = "bank_account"
SENSITIVE_FIELDS = {ID_NUMBER: mask_citizen_id, BANK_ACCOUNT: mask_account}


def escape_formula(value: Any) -> Any:
    """A cell value safe to open in a spreadsheet (text only; numbers untouched)."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.match(value)
    ):
        return "'" + value
    return value


def safe_row(row: Any) -> list[Any]:
    return [escape_formula(value) for value in row]


def may_see(user: Any, kind: str) -> bool:
    if user is None:
        return False
    if kind == ID_NUMBER:
        return user_sees_full_id(user)
    if kind == BANK_ACCOUNT:
        return user_sees_full_bank(user)
    return True


def mask_for(user: Any, kind: str, value: Any) -> Any:
    """``value`` as ``user`` may see it (a masked string when they may not)."""
    if not value or may_see(user, kind):
        return value
    return SENSITIVE_FIELDS[kind](str(value))


def sensitive_kind(field: Any) -> str | None:
    """Which sensitive value a resource field exports, if any: by its
    attribute (``worker__id_number``) or by the key its foreign-key widget
    writes (a worker named by ID number)."""
    names = [
        (getattr(field, "attribute", None) or "").rsplit("__", 1)[-1],
        getattr(getattr(field, "widget", None), "field", None) or "",
    ]
    for name in names:
        if name in SENSITIVE_FIELDS:
            return name
    return None


class SafeExportMixin:
    """For ``import_export`` resources: every exported cell is masked for the
    resource's ``user`` and formula-escaped."""

    user: Any = None
    # Set by a resource whose export needs a sensitive value in full for a
    # reason other than the role (never used today).
    unmasked_fields: tuple[str, ...] = ()

    def export_field(self, field: Any, instance: Any, **kwargs: Any) -> Any:
        value = super().export_field(field, instance, **kwargs)  # type: ignore[misc]
        kind = sensitive_kind(field)
        if kind and field.column_name not in self.unmasked_fields:
            value = mask_for(getattr(self, "user", None), kind, value)
        return escape_formula(value)

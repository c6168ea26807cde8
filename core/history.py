"""Change history: what changed, who changed it, when (DOMAIN: nothing is lost)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeAlias

from django.db import models

from core.models import ChangeLog
from core.rules import mask_account, mask_citizen_id

# Sensitive values are logged masked: the history is read by roles that must
# not see them in full; the record itself keeps the real value.
_MASKERS = {"id_number": mask_citizen_id, "bank_account": mask_account}

# A value as kept in a JSONField (a change record's values, a row's params):
# Any on purpose, like json.loads; the code that reads one knows its shape.
JSONValue: TypeAlias = Any


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name)
        if value is not None and name in _MASKERS:
            value = _MASKERS[name](str(value))
        values[name] = _plain(value)
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def change_record(
    *,
    actor: Any,
    instance: models.Model,
    action: str,
    changes: dict[str, list[Any]],
    note: str = "",
) -> ChangeLog:
    return ChangeLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:100],
        action=action,
        changes=changes,
        note=note[:200],
    )


def history_for(instance: models.Model) -> models.QuerySet[ChangeLog]:
    return ChangeLog.objects.filter(
        model=instance._meta.label_lower, object_id=str(instance.pk)
    ).select_related("actor")

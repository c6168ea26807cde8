"""Change history: what changed, who changed it, when (DOMAIN: nothing is lost)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeAlias

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from djmoney.money import Money

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
    if isinstance(value, Money):  # a typed amount: its Decimal, as before
        value = value.amount
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


def _choice_labels(field: Any) -> dict[str, Any]:
    return {str(key): label for key, label in getattr(field, "flatchoices", ())}


def labelled_changes(model: Any, changes: dict[str, Any]) -> list[tuple[Any, ...]]:
    """A change record's fields by their names in the page's language, and
    choice values (status, gender, education, positions…) by their labels,
    not codes."""
    rows = []
    for name, values in (changes or {}).items():
        old, new = [*values, None, None][:2]
        name, _sep, code = name.partition(":")
        field = None
        for candidate in (name, f"{name}s"):
            try:
                field = model._meta.get_field(candidate)
                break
            except FieldDoesNotExist:
                continue
        if field is None:
            rows.append((f"{name}:{code}" if code else name, old, new))
            continue
        if field.auto_created and not field.concrete:
            # A related list (positions, certificates): name it by the related
            # model and show its items by their choice labels.
            related = field.related_model._meta
            label = related.verbose_name_plural
            labels: dict[str, Any] = {}
            for related_field in related.get_fields():
                if getattr(related_field, "choices", None):
                    labels = _choice_labels(related_field)
                    break
        else:
            label = getattr(field, "verbose_name", name)
            labels = _choice_labels(field) if getattr(field, "choices", None) else {}

        def show(value: Any, labels: dict[str, Any] = labels) -> Any:
            if isinstance(value, list):
                if not value:
                    return None
                return "、".join(str(labels.get(str(item), item)) for item in value)
            if value is None:
                return None
            return labels.get(str(value), value)

        if code:
            # One item of a related list, e.g. "certificate:assistant".
            label = f"{capfirst(label)}（{labels.get(code, code)}）"
            labels = {}
        rows.append((capfirst(label), show(old), show(new)))
    return rows

"""The roster import's check: every lookup fetched once or by chunks of
``CHUNK`` keys, rows checked in Python, and, when no row has a problem, a
plan (plain JSON) of what to write.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import extensions, history
from core.late_changes import changed_dates_since
from core.models import (
    Worker,
    WorkerCertificate,
    WorkerPosition,
)

CHUNK = 500
PROGRESS_EVERY = 1000
# The worker's columns a plan writes (attnames), and which of them are dates.
PLAN_FIELDS = (
    "full_name",
    "id_number",
    "gender",
    "birth_date",
    "community_id",
    "post_id",
    "level",
    "started_on",
    "education",
    "joined_on",
    "left_on",
    "status",
    "bank_name",
    "bank_account",
    "phone",
)
DATE_FIELDS = {"birth_date", "started_on", "joined_on", "left_on"}
PLAN_VERSION = 1
NO_LEVEL_REASON = gettext_lazy(
    "未填写“等级调整理由”：将记为“未填写理由”（在人员表单中保存此等级须填写理由）。"
)


class StaleImport(ValueError):
    """The data changed between the preview and the confirm."""


def chunks(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _decoded(values: dict[str, Any]) -> dict[str, Any]:
    return {
        name: date.fromisoformat(value)
        if name in DATE_FIELDS and isinstance(value, str)
        else value
        for name, value in values.items()
    }


def _stamp(worker: Worker) -> str:
    return f"{worker.updated_at.isoformat() if worker.updated_at else ''}|{worker.community_id}"


def roster_check(
    resource: Any,
    dataset: Any,
    *,
    progress: Callable[[int], None] | None = None,
) -> tuple[Any, dict[str, Any] | None]:
    """Check every row; give (ImportReport, plan or None when a row is bad)."""
    from core.imports import ImportReport, RowReport

    user = resource.user
    headers = list(dataset.headers or [])
    labels = {
        f.attribute: str(f.column_name)
        for f in resource.get_import_fields()
        if f.attribute
    }
    attribute_of_column = {v: k for k, v in labels.items()}
    import_fields = [
        f
        for f in resource.get_import_fields()
        if f.attribute and not f.readonly and f.column_name in headers
    ]
    # Lookups: one query each, or one per CHUNK keys.
    community_widget = resource.fields["community"].widget
    post_widget = resource.fields["post"].widget
    community_widget.prefetch()
    post_widget.prefetch()
    visible_ids = {c.pk for c in community_widget.cached()}
    numbers = [
        str(row.get("身份证号") or "").strip().upper()
        for row in (dict(zip(headers, values, strict=False)) for values in dataset)
    ]
    seen = Counter(n for n in numbers if n)
    existing: dict[str, Worker] = {}
    wanted = sorted({n for n in numbers if n and "*" not in n})
    for batch in chunks(wanted):
        for worker in Worker.objects.filter(id_number__in=batch).select_related(
            "community", "post"
        ):
            existing[worker.id_number] = worker
    open_positions: dict[int, set[str]] = defaultdict(set)
    certificates: dict[tuple[int, str], date] = {}
    held: dict[int, list[tuple[str, date]]] = defaultdict(list)
    worker_ids = [w.pk for w in existing.values()]
    for batch in chunks(worker_ids):
        for worker_id, position in WorkerPosition.objects.filter(
            worker_id__in=batch, ended_on__isnull=True
        ).values_list("worker_id", "position"):
            open_positions[worker_id].add(position)
        for worker_id, kind, obtained_on in WorkerCertificate.objects.filter(
            worker_id__in=batch
        ).values_list("worker_id", "kind", "obtained_on"):
            certificates[(worker_id, kind)] = obtained_on
            held[worker_id].append((kind, obtained_on))
    out_of_scope: set[int] = set()
    if user is not None:
        out_of_scope = {
            w.pk for w in existing.values() if w.community_id not in visible_ids
        }

    # The placement rule's word on levels set by the file: its tables read
    # once, no query per row (payroll's previews.level_checker).
    level_check = extensions.level_checker(worker_ids=[w.pk for w in existing.values()])
    reports: list[Any] = []
    plan_rows: list[dict[str, Any]] = []
    any_errors = False
    for number, values in enumerate(dataset, 1):
        row = dict(zip(headers, values, strict=False))
        row["身份证号"] = numbers[number - 1]
        problems, extras = resource.row_prechecks(row, seen)
        messages: list[str] = []
        failed: set[str] = set()

        def add(key: str, message: Any, messages: list[str] = messages) -> None:
            label = labels.get(key)
            text = f"{label}{_('：')}{message}" if label else str(message)
            if text not in messages:
                messages.append(text)

        for key, message in problems.items():
            failed.add(attribute_of_column.get(key, key))
            add(key, message)
        original = existing.get(numbers[number - 1])
        instance = copy.copy(original) if original is not None else Worker()
        if original is not None and original.pk in out_of_scope:
            add("community", _("该人员属于您管理范围以外的社区。"))
        for resource_field in import_fields:
            attribute = resource_field.attribute
            if attribute in failed:
                continue
            try:
                resource_field.save(instance, row)
            except (ValueError, ValidationError) as exc:
                failed.add(attribute)
                for text in getattr(exc, "messages", [str(exc)]):
                    add(attribute, text)
        try:
            # community and post come from the prefetched codes: valid by
            # construction, so Django's query per foreign key is spared.
            instance.clean_fields(exclude=sorted(failed | {"community", "post"}))
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                failed.add(name)
                for text in errors:
                    add(name, text)
        try:
            instance.clean()
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for text in errors:
                    add(name, text)
        positions, kind, cert_on = extras
        row_warnings: list[str] = []
        if messages:
            any_errors = True
            status = "invalid"
        else:
            status, plan_row = _plan_row(
                instance, original, positions, kind, cert_on, open_positions,
                certificates,
            )  # fmt: skip
            plan_row["number"] = number
            flag = _level_flag(level_check, instance, plan_row, held, kind, cert_on)
            if flag is not None:
                reason = str(row.get("等级调整理由") or "").strip()[:200]
                plan_row["level_flag"] = {
                    "level": flag.level,
                    "proposed": flag.proposed_level,
                    "params": flag.params,
                    "reason": reason,
                }
                # The worker form refuses such a level without a reason; the
                # import keeps it (as 未填写理由) but says so before the confirm.
                row_warnings.append(
                    f"{flag.message} {NO_LEVEL_REASON}" if not reason else flag.message
                )
            plan_rows.append(plan_row)
        reports.append(
            RowReport(
                number=number,
                status=status,
                errors=messages,
                values=dict(zip(headers, values, strict=False)),
                warnings=row_warnings,
            )
        )
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number)
    counts = {
        key: sum(1 for r in reports if r.status == key)
        for key in ("new", "update", "skip", "invalid", "error")
    }
    report = ImportReport(rows=reports, file_errors=[], saved=False, counts=counts)
    if any_errors:
        return report, None
    plan = {
        "version": PLAN_VERSION,
        "kind": "roster",
        "rows": plan_rows,
        "counts": counts,
    }
    return report, plan


def _level_flag(
    level_check: Callable[[extensions.LevelFacts], extensions.LevelFlag | None],
    instance: Worker,
    plan_row: dict[str, Any],
    held: dict[int, list[tuple[str, date]]],
    kind: str,
    cert_on: date | None,
) -> extensions.LevelFlag | None:
    """The rule's word on a row that sets a level (a new worker, or a level
    or post that changes); None otherwise, or when it agrees."""
    if plan_row["status"] not in ("new", "update") or plan_row.get("level") is None:
        return None
    if instance.post_id is None or not instance.level:
        return None
    certificates: list[tuple[str, Any]] = (
        list(held.get(instance.pk, [])) if instance.pk else []
    )
    if kind:
        certificates.append((kind, cert_on))
    return level_check(
        extensions.LevelFacts(
            post=instance.post,
            level=instance.level,
            started_on=instance.started_on,
            joined_on=instance.joined_on,
            education=instance.education,
            certificates=tuple(certificates),
            worker_id=instance.pk,
        )
    )


def _plan_row(
    instance: Worker,
    original: Worker | None,
    positions: set[str] | None,
    kind: str,
    cert_on: date | None,
    open_positions: dict[int, set[str]],
    certificates: dict[tuple[int, str], date],
) -> tuple[str, dict[str, Any]]:
    from core.services import WORKER_TRACKED_FIELDS

    after = history.snapshot(instance, WORKER_TRACKED_FIELDS)
    before = (
        history.snapshot(original, WORKER_TRACKED_FIELDS)
        if original is not None
        else {}
    )
    changes = history.diff(before, after)
    values = {name: _plain(getattr(instance, name)) for name in PLAN_FIELDS}
    row: dict[str, Any] = {
        "worker": original.pk if original is not None else None,
        "stamp": _stamp(original) if original is not None else "",
        "repr": str(instance)[:100],
        "community": instance.community_id,
        "joined_on": _plain(instance.joined_on),
        "positions": sorted(positions) if positions is not None else None,
        "certificate": [kind, _plain(cert_on)] if kind else None,
    }
    if original is None:
        row.update(status="new", values=values, changes=changes, level=[None, None])
        return "new", row
    old = {name: _plain(getattr(original, name)) for name in PLAN_FIELDS}
    changed = {name: value for name, value in values.items() if old[name] != value}
    level_changed = (original.level, original.post_id) != (
        instance.level,
        instance.post_id,
    )
    positions_changed = positions is not None and open_positions.get(
        original.pk, set()
    ) != set(positions)
    certificate_changed = (
        bool(kind) and certificates.get((original.pk, kind)) != cert_on
    )
    if not (changed or changes or positions_changed or certificate_changed):
        row.update(status="skip", values={}, changes={}, level=None)
        return "skip", row
    since = changed_dates_since(
        {"joined_on": original.joined_on, "left_on": original.left_on}, instance
    )
    row.update(
        status="update",
        values=changed,
        changes=changes,
        level=[original.level, original.post_id] if level_changed else None,
        late_since=_plain(since),
    )
    return "update", row

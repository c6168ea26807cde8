"""The roster import in bulk: every lookup fetched once, rows checked in
Python, the plan saved with ``bulk_create`` / ``bulk_update``.

``roster_check`` reads a dataset and gives the preview's report and, when no
row has a problem, a plan (plain JSON) of what to write. ``roster_apply``
writes a plan in one transaction after a cheap recheck of its keys (no
worker with a new row's ID number appeared, no updated worker changed since
the check, every community still in the user's scope). The side effects of
the one-by-one save are kept: the change history of every worker, the level
history through the apps' hooks, positions and certificates with their own
history entries.

The number of queries does not grow with the rows but by chunks of
``CHUNK`` keys (the lookups of existing workers, positions, certificates).
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock, extensions, history
from core.late_changes import LateChanges, changed_dates_since
from core.models import (
    ChangeLog,
    User,
    Worker,
    WorkerCertificate,
    WorkerPosition,
)
from core.rules import mask_citizen_id
from core.selectors import community_list_visible_to, user_can_edit_roster

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


def roster_late_facts(plan: dict[str, Any]) -> dict[str, Any] | None:
    """What the plan's changed joining and leaving dates do to locked months
    (DOMAIN A11), per row and summed up, in a few queries per 500 workers:
    plain JSON kept with the checked preview (``LateChanges.facts``)."""
    late = LateChanges()
    for r in plan.get("rows", []):
        if r.get("late_since") and r.get("worker"):
            late.add(
                row=r["number"],
                worker_id=r["worker"],
                since=date.fromisoformat(r["late_since"]),
            )
    return late.facts()


def roster_apply(plan: dict[str, Any], *, user: User | None) -> dict[str, int]:
    """Write a checked plan, all or nothing; StaleImport when the data moved."""
    if plan.get("version") != PLAN_VERSION or plan.get("kind") != "roster":
        raise StaleImport(_("导入预览已失效，请重新上传文件。"))
    rows = [r for r in plan["rows"] if r["status"] != "skip"]
    with transaction.atomic():
        _recheck(rows, user)
        now = clock.now()
        created = [
            Worker(**_decoded(r["values"])) for r in rows if r["status"] == "new"
        ]
        Worker.objects.bulk_create(created, batch_size=CHUNK)
        new_ids = iter(w.pk for w in created)
        for r in rows:
            if r["status"] == "new":
                r["worker"] = next(new_ids)
        updates = [r for r in rows if r["status"] == "update" and r["values"]]
        fields: set[str] = set()
        stored: dict[int, Worker] = {}
        for batch in chunks([r["worker"] for r in updates]):
            stored.update(Worker.objects.in_bulk(batch))
        changed_workers = []
        for r in updates:
            worker = stored[r["worker"]]
            for name, value in _decoded(r["values"]).items():
                setattr(worker, name, value)
                fields.add(name)
            worker.updated_at = now
            changed_workers.append(worker)
        if changed_workers:
            Worker.objects.bulk_update(
                changed_workers, sorted(fields | {"updated_at"}), batch_size=CHUNK
            )
        _level_history(rows, stored, created, user)
        logs = [
            _log(user, r["worker"], r["repr"], r["changes"])
            for r in rows
            if r["changes"] or r["status"] == "new"
        ]
        logs += _positions(rows, user)
        logs += _certificates(rows, user)
        ChangeLog.objects.bulk_create(logs, batch_size=CHUNK)
    return dict(plan["counts"])


def _recheck(rows: list[dict[str, Any]], user: User | None) -> None:
    """The keys the plan relies on, checked again in a few queries."""
    if user is not None:
        if not user_can_edit_roster(user):
            raise PermissionDenied(_("您的角色不能修改人员信息。"))
        visible = set(community_list_visible_to(user=user).values_list("pk", flat=True))
        wanted = {r["community"] for r in rows}
        if not wanted <= visible:
            raise PermissionDenied(_("该社区不在您的管理范围内。"))
    numbers = [r["values"]["id_number"] for r in rows if r["status"] == "new"]
    for batch in chunks(numbers):
        taken = list(
            Worker.objects.filter(id_number__in=batch).values_list(
                "id_number", flat=True
            )[:5]
        )
        if taken:
            raise StaleImport(
                _("预览后已有人员使用身份证号 %(numbers)s，请重新上传文件预览。")
                % {"numbers": _("、").join(mask_citizen_id(n) for n in taken)}
            )
    expected = {r["worker"]: r["stamp"] for r in rows if r["status"] == "update"}
    for batch in chunks(list(expected)):
        for worker in Worker.objects.filter(pk__in=batch).only(
            "pk", "updated_at", "community_id"
        ):
            if _stamp(worker) != expected.pop(worker.pk):
                raise StaleImport(
                    _("预览后“%(name)s”等人员的信息已被修改，请重新上传文件预览。")
                    % {"name": worker}
                )
    if expected:
        raise StaleImport(_("预览后有人员已被删除，请重新上传文件预览。"))


def _log(
    user: User | None, worker_id: int, name: str, changes: dict[str, Any]
) -> ChangeLog:
    return ChangeLog(
        actor=user if getattr(user, "pk", None) else None,
        model=Worker._meta.label_lower,
        object_id=str(worker_id),
        object_repr=name,
        action=ChangeLog.Action.IMPORT,
        changes=changes,
    )


def _level_history(
    rows: list[dict[str, Any]],
    stored: dict[int, Worker],
    created: list[Worker],
    user: User | None,
) -> None:
    by_pk = {w.pk: w for w in created} | stored
    facts = []
    for r in rows:
        if r["level"] is None:
            continue
        worker = by_pk.get(r["worker"])
        if worker is None:  # an update of other fields only has no level entry
            continue
        flag = r.get("level_flag")
        facts.append(
            {
                "worker": worker,
                "old_level": r["level"][0],
                "old_post_id": r["level"][1],
                "actor": user,
                "action": ChangeLog.Action.IMPORT,
                "level_flag": extensions.LevelFlag(
                    level=flag["level"],
                    proposed_level=flag["proposed"],
                    message="",
                    params=flag["params"],
                )
                if flag
                else None,
                "level_reason": flag["reason"] if flag else "",
            }
        )
    if facts:
        extensions.workers_level_changed(facts)


def _positions(rows: list[dict[str, Any]], user: User | None) -> list[ChangeLog]:
    wanted = {r["worker"]: r for r in rows if r["positions"] is not None}
    current: dict[int, dict[str, WorkerPosition]] = defaultdict(dict)
    has_any: set[int] = set()
    for batch in chunks(list(wanted)):
        for position in WorkerPosition.objects.filter(worker_id__in=batch):
            has_any.add(position.worker_id)
            if position.ended_on is None:
                current[position.worker_id][position.position] = position
    today = clock.today()
    added, ended, logs = [], [], []
    for worker_id, r in wanted.items():
        holding = current.get(worker_id, {})
        target = set(r["positions"])
        on = date.fromisoformat(r["joined_on"]) if worker_id not in has_any else today
        new = [
            WorkerPosition(worker_id=worker_id, position=code, started_on=on)
            for code in sorted(target - holding.keys())
        ]
        gone = [holding[code] for code in holding.keys() - target]
        for position in gone:
            position.ended_on = on
        added += new
        ended += gone
        if new or gone:
            logs.append(
                ChangeLog(
                    actor=user if getattr(user, "pk", None) else None,
                    model=Worker._meta.label_lower,
                    object_id=str(worker_id),
                    object_repr=r["repr"],
                    action=ChangeLog.Action.UPDATE,
                    changes={"positions": [sorted(holding), sorted(target)]},
                )
            )
    WorkerPosition.objects.bulk_create(added, batch_size=CHUNK)
    if ended:
        WorkerPosition.objects.bulk_update(ended, ["ended_on"], batch_size=CHUNK)
    return logs


def _certificates(rows: list[dict[str, Any]], user: User | None) -> list[ChangeLog]:
    wanted = {r["worker"]: r for r in rows if r["certificate"]}
    stored: dict[tuple[int, str], WorkerCertificate] = {}
    for batch in chunks(list(wanted)):
        for certificate in WorkerCertificate.objects.filter(worker_id__in=batch):
            stored[(certificate.worker_id, certificate.kind)] = certificate
    created: list[WorkerCertificate] = []
    changed: list[WorkerCertificate] = []
    logs: list[ChangeLog] = []
    for worker_id, r in wanted.items():
        kind, text = r["certificate"]
        obtained_on = date.fromisoformat(text)
        found = stored.get((worker_id, kind))
        if found is None:
            created.append(
                WorkerCertificate(
                    worker_id=worker_id, kind=kind, obtained_on=obtained_on
                )
            )
            old = None
        elif found.obtained_on != obtained_on:
            old = found.obtained_on.isoformat()
            found.obtained_on = obtained_on
            changed.append(found)
        else:
            continue
        logs.append(
            ChangeLog(
                actor=user if getattr(user, "pk", None) else None,
                model=Worker._meta.label_lower,
                object_id=str(worker_id),
                object_repr=r["repr"],
                action=ChangeLog.Action.UPDATE,
                changes={f"certificate:{kind}": [old, text]},
            )
        )
    WorkerCertificate.objects.bulk_create(created, batch_size=CHUNK)
    if changed:
        WorkerCertificate.objects.bulk_update(
            changed, ["obtained_on"], batch_size=CHUNK
        )
    return logs

"""The roster import's write: a plan saved in one transaction after a cheap
recheck of its keys (no worker with a new row's ID number appeared, no updated
worker changed since the check, every community still in the user's scope).
The side effects of the one-by-one save are kept: the change history of every
worker, the level history through the apps' hooks, positions and
certificates with their own history entries.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock, extensions
from core.late_changes import LateChanges
from core.models import (
    ChangeLog,
    User,
    Worker,
    WorkerCertificate,
    WorkerPosition,
)
from core.rules import mask_citizen_id
from core.selectors import community_list_visible_to, user_can_edit_roster

from .check import CHUNK, PLAN_VERSION, StaleImport, _decoded, _stamp, chunks


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

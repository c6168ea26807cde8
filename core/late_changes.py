"""What a change that reaches back into paid months says when it is saved
(DOMAIN A11): how many locked months it changes, and that the corrections
appear in the next cycle. A locked month itself is never edited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

from core import extensions

if TYPE_CHECKING:
    from core.models import Worker

LATE_CHANGE = gettext_lazy(
    "此项变更涉及 %(count)s 个已锁定（已发放）的工资月份（%(first)s 至 "
    "%(last)s）；已发放月份不作修改，差额将在下一工资周期中补发或补扣。"
)


def month_start(day: date) -> date:
    return day.replace(day=1)


def late_change_message(*, worker_id: int, since: date | None) -> str | None:
    """The sentence for a change in force from ``since``; None when it
    reaches no locked month."""
    if since is None:
        return None
    months = extensions.locked_months(worker_id, month_start(since))
    if not months:
        return None
    first, last = months[0], months[-1]
    return str(LATE_CHANGE) % {
        "count": len(months),
        "first": f"{first[0]}-{first[1]:02d}",
        "last": f"{last[0]}-{last[1]:02d}",
    }


def late_change_notify(request: Any, *, worker_id: int, since: date | None) -> None:
    """Add the sentence to the page's messages (pages and the admin)."""
    from django.contrib import messages

    message = late_change_message(worker_id=worker_id, since=since)
    if message:
        messages.warning(request, message)


def changed_dates_since(before: Mapping[str, object], worker: Worker) -> date | None:
    """The earliest day a change of the joining or leaving date reaches:
    the earlier of the old and the new date of each one changed."""
    days: list[date] = []
    for name in ("joined_on", "left_on"):
        old, new = before.get(name), getattr(worker, name)
        if old != new:
            days += [d for d in (old, new) if isinstance(d, date)]
    return min(days) if days else None


# --- imports ------------------------------------------------------------------

LATE_IMPORT_SUMMARY = gettext_lazy(
    "%(workers)s 名人员的变更涉及已锁定（已发放）的工资月份（共 %(months)s 个"
    "人员月份，%(first)s 至 %(last)s）；已发放月份不作修改，差额将在下一工资周期"
    "中补发或补扣。"
)
LATE_IMPORT_ROW = gettext_lazy(
    "第 %(row)s 行：%(name)s，涉及 %(count)s 个已锁定月份（%(first)s 至 %(last)s）"
)


# Worker names read per this many ids (SQLite takes 999 parameters a query).
NAMES_CHUNK = 500


def _period(month: tuple[int, int]) -> str:
    return f"{month[0]}-{month[1]:02d}"


@dataclass
class LateImportNotes:
    """What an import's saved rows do to locked months: one summary sentence
    and one line per row that reaches any."""

    summary: str
    rows: list[str] = field(default_factory=list)


@dataclass
class LateChanges:
    """The facts an import saves that take effect from a day (a grade, a
    rating, a date, a base, a level): filled by the resources as rows are
    saved (``add``), read once the import has run (``notes``), in two or
    three queries for the whole file."""

    items: list[tuple[int, int, date]] = field(default_factory=list)

    def add(
        self, *, row: int | None, worker_id: int | None, since: date | None
    ) -> None:
        if worker_id and since is not None:
            self.items.append((row or 0, worker_id, month_start(since)))

    def notes(self) -> LateImportNotes | None:
        return late_notes_from_facts(self.facts())

    def facts(self) -> dict[str, Any] | None:
        """What the collected changes reach, as plain JSON (numbers, names,
        months) that ``late_notes_from_facts`` puts in the reader's language
        later without asking the database again; None when nothing."""
        if not self.items:
            return None
        earliest: dict[int, date] = {}
        for _row, worker_id, since in self.items:
            earliest[worker_id] = min(since, earliest.get(worker_id, since))
        reached = extensions.locked_months_many(earliest)
        if not reached:
            return None
        from core.models import Worker

        ids = list(reached)
        names: dict[int, str] = {}
        for start in range(0, len(ids), NAMES_CHUNK):
            names.update(
                Worker.objects.filter(
                    pk__in=ids[start : start + NAMES_CHUNK]
                ).values_list("pk", "full_name")
            )
        rows = []
        for row, worker_id, since in sorted(self.items):
            months = [
                m for m in reached.get(worker_id, []) if m >= (since.year, since.month)
            ]
            if months:
                rows.append(
                    [
                        row,
                        names.get(worker_id, str(worker_id)),
                        len(months),
                        _period(months[0]),
                        _period(months[-1]),
                    ]
                )
        every = sorted({m for months in reached.values() for m in months})
        return {
            "workers": len(reached),
            "months": sum(len(months) for months in reached.values()),
            "first": _period(every[0]),
            "last": _period(every[-1]),
            "rows": rows,
        }


def late_notes_from_facts(facts: dict[str, Any] | None) -> LateImportNotes | None:
    """``LateChanges.facts`` in the reader's language (no query)."""
    if not facts:
        return None
    rows = [
        str(LATE_IMPORT_ROW)
        % {"row": row, "name": name, "count": count, "first": first, "last": last}
        for row, name, count, first, last in facts["rows"]
    ]
    summary = str(LATE_IMPORT_SUMMARY) % {
        "workers": facts["workers"],
        "months": facts["months"],
        "first": facts["first"],
        "last": facts["last"],
    }
    return LateImportNotes(summary=summary, rows=rows)


def import_late_notes(resource: Any) -> LateImportNotes | None:
    """The late-change notes of a resource that collects them (its
    ``late_changes``), for the import pages (``core.import_flow``)."""
    collected = getattr(resource, "late_changes", None)
    return collected.notes() if isinstance(collected, LateChanges) else None

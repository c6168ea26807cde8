"""What a change that reaches back into paid months says when it is saved
(DOMAIN A11): how many locked months it changes, and that the corrections
appear in the next cycle. A locked month itself is never edited."""

from __future__ import annotations

from collections.abc import Mapping
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

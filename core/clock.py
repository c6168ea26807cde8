"""The one place the application reads today's date and the current time.

Services, views and jobs ask this module instead of ``timezone.localdate()`` /
``timezone.now()``, so that the city simulation (and tests) can run the
application on a clock of their own, past the real today.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.utils import timezone

_frozen_day: date | None = None


def today() -> date:
    """The local date: the simulated day when one is set, else the real one."""
    return _frozen_day if _frozen_day is not None else timezone.localdate()


def now() -> datetime:
    """An aware datetime: noon of the simulated day plus the real time's
    seconds (so ordering by time still works), or the real now."""
    if _frozen_day is None:
        return timezone.now()
    real = timezone.localtime()
    moment = datetime.combine(_frozen_day, time(12)) + timedelta(
        seconds=real.second, microseconds=real.microsecond
    )
    return timezone.make_aware(moment)


def set_today(day: date | None) -> None:
    """Set (or with ``None`` clear) the simulated day for this process."""
    global _frozen_day
    _frozen_day = day


@contextmanager
def frozen(day: date) -> Iterator[None]:
    """Run a block as if today were ``day``."""
    previous = _frozen_day
    set_today(day)
    try:
        yield
    finally:
        set_today(previous)

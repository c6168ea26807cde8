"""The driver's calendar and rates, its cast and month report, and the base
the driver's steps share (the seeded random numbers, the counts, the active
workers read light).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.models import (
    Community,
    Post,
    User,
    Worker,
)
from ratings.rules import BASIC_PASS, EXCELLENT, FAIL, PASS

FUND_DAYS = (3, 18)
EVENT_DAY = 20
CYCLE_DAY = 25
GRADE_WEIGHTS: tuple[tuple[str, int], ...] = (
    (EXCELLENT, 20),
    (PASS, 70),
    (BASIC_PASS, 8),
    (FAIL, 2),
)
# Monthly shares of the active workers (demo values of the simulation).
JOIN_RATE = 0.008
LEAVE_RATE = 0.007
POST_CHANGE_RATE = 0.004
CERTIFICATE_RATE = 0.006
STAR_RATE = 0.03
LATE_GRADE_SHARE = 0.03
BONUS_SHARE = 0.6
DECLARATION_SHARE = 0.3
FUNDED_COMMUNITIES = 6
# The fields the events choose workers by (a chosen one is read whole).
ACTIVE_FIELDS = (
    "pk",
    "full_name",
    "joined_on",
    "birth_date",
    "community_id",
    "level",
    "status",
    "post",
)


@dataclass
class MonthReport:
    year: int
    month: int
    cycle_id: int | None
    status: str
    payslips: int
    error: str = ""
    seconds: float = 0.0
    events: dict[str, int] = field(default_factory=dict)


@dataclass
class Cast:
    """The logins the driver acts as."""

    city: User
    maker: User  # computes the cycles
    checker: User  # approves and locks them
    secretaries: dict[int, User] = field(default_factory=dict)  # by community
    streets: dict[int, User] = field(default_factory=dict)  # by street
    districts: dict[int, User] = field(default_factory=dict)  # by district


class DriverBase:
    """What every step of the driver shares: the cast, the seeded random
    numbers, the counts of a month, and the active workers read light."""

    def __init__(
        self,
        *,
        cast: Cast,
        seed: int,
        first_year: int,
        funding: bool = True,
        grades: bool = True,
        intensity: float = 1.0,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.cast = cast
        self.rng = random.Random(seed * 7919 + 11)
        self.first_year = first_year
        self.funding = funding
        self.grades = grades
        self.intensity = intensity  # scales every event rate (the demo's past: less)
        self.log = log or (lambda _message: None)
        self.used_ids = set(Worker.objects.values_list("id_number", flat=True))
        self.posts = {p.code: p for p in Post.objects.all()}
        self.late_grades: list[tuple[int, int]] = []  # (worker, year)
        self.death_done = False
        self.projects: dict[int, list[int]] = {}  # fund year -> project ids
        self.counts: dict[str, int] = {}
        # Workers a month's joins and leavings wrote (the joiner, the leaver,
        # a new secretary): the active list is read again for them only.
        self.touched: set[int] = set()
        self._communities: list[Community] | None = None

    def _count(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def _number(self, population: int, rate: float) -> int:
        """A whole number of events with the expected value population × rate."""
        expected = population * rate * self.intensity
        whole = int(expected)
        return whole + (1 if self.rng.random() < expected - whole else 0)

    def _active(self, on: date) -> list[Worker]:
        """The active workers, light (the fields the events choose by); a
        chosen one is read whole before a service changes it (``_whole``)."""
        return self._light(
            Worker.objects.filter(status=Worker.Status.ACTIVE, joined_on__lte=on)
        )

    @staticmethod
    def _light(workers: Any) -> list[Worker]:
        """``workers`` in ``pk`` order with the fields of ``ACTIVE_FIELDS``,
        each holding its post from one read of the few posts (rather than
        10,000 copies of them from a join)."""
        posts = {post.pk: post for post in Post.objects.all()}
        light = list(workers.only(*ACTIVE_FIELDS).order_by("pk"))
        for worker in light:
            worker.post = posts[worker.post_id]
        return light

    def _active_again(self, before: list[Worker], on: date) -> list[Worker]:
        """``_active(on)`` after the joins and leavings: the list read before,
        with the workers they wrote (``touched``) read again; the same list as
        reading every active worker again, for a query of a few rows."""
        if not self.touched:
            return before
        fresh = self._light(
            Worker.objects.filter(
                pk__in=self.touched, status=Worker.Status.ACTIVE, joined_on__lte=on
            )
        )
        kept = [w for w in before if w.pk not in self.touched]
        return sorted(kept + fresh, key=lambda w: w.pk)

    @staticmethod
    def _whole(worker: Worker) -> Worker:
        return Worker.objects.select_related("post", "community").get(pk=worker.pk)

    def _sample(self, workers: list[Worker], count: int) -> list[Worker]:
        return self.rng.sample(workers, min(count, len(workers)))

    def _day(self, today: date) -> date:
        return date(today.year, today.month, self.rng.randrange(1, today.day))

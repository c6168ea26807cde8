"""The demo's past (issue 9): seed_demo lives the current year from January
up to last month through the city driver, so this month's payslips start
from real year-to-date figures, corrections and annuity balances."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.test.utils import override_settings

from core import clock
from core.models import Worker
from simulation.driver import Cast, CityDriver

# The demo's past is quieter than the simulation: a tenth of its events.
HISTORY_INTENSITY = 0.1


def seed_demo_history(*, demo: Any, seed: int, since: date, today: date) -> int:
    """Cycles of ``since``'s month up to last month: computed by 'finance',
    approved and locked by 'finance2', with the year's roster and rating
    events; then a few facts that reach back into locked months, so that
    this month's cycle shows corrections. Returns the months locked."""
    months = (today.year - since.year) * 12 + today.month - since.month
    if months <= 0:
        return 0
    logging.getLogger("celery").setLevel(logging.WARNING)  # a line per task
    driver = CityDriver(
        cast=Cast(
            city=demo.users["city"],
            maker=demo.users["finance"],
            checker=demo.users["finance2"],
        ),
        seed=seed,
        first_year=since.year,
        funding=False,
        intensity=HISTORY_INTENSITY,
    )
    # One chunk per cycle: the past is computed in this process, and a chunk's
    # fixed reads (tables, the corrections' months) are then paid once.
    with override_settings(PAYROLL_CHUNK_SIZE=max(2000, Worker.objects.count())):
        driver.run(since, months)
    with clock.frozen(today):
        driver.late_changes(today)
    return months

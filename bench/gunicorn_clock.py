"""Gunicorn settings for ``bench/pages.py``: each worker runs the application
on the day the benchmark's city was built for (``BENCH_TODAY``, ISO date),
as the in-process measurements do."""

from __future__ import annotations

import os
from datetime import date


def post_fork(server, worker) -> None:
    day = os.environ.get("BENCH_TODAY")
    if day:
        from core import clock

        clock.set_today(date.fromisoformat(day))

"""On PostgreSQL with a real worker: the worker killed with kill -9 in the
middle of a cycle, started again, and the cycle finishes by itself (the
periodic check re-sends what the dead worker held) with the totals of an
uninterrupted run. Nobody clicks "resume"."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from decimal import Decimal

import pytest

from payroll.cycles.services import payroll_cycle_start
from payroll.models import CycleChunk
from tests.payroll.test_cycles_concurrency import (
    _database_url,
    _finance,
    _kill_children,
    recomputed_totals,
    wait_for,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.city(communities=40, workers_per_community=10, seed=9),
]


@pytest.mark.real_worker
def test_killed_worker_restarted_and_the_cycle_finishes_by_itself(
    city,
    settings,
    tmp_path,
):
    queue = f"healtest-{uuid.uuid4().hex[:8]}"
    settings.PAYROLL_TASK_QUEUE = queue
    settings.PAYROLL_CHUNK_SIZE = 20
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "PAYROLL_TASK_QUEUE": queue,
        "PAYROLL_CHUNK_SIZE": "20",
        "PAYROLL_CHUNK_STALE_SECONDS": "4",
        "PAYROLL_HEAL_INTERVAL_SECONDS": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
        "--concurrency", "1", "--pool", "prefork", "--without-gossip",
        "--without-mingle", "--loglevel", "WARNING",
        "--beat", "--schedule", str(tmp_path / "beat-schedule"),
    ]  # fmt: skip

    def start_worker() -> subprocess.Popen:
        return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)

    worker = start_worker()
    try:
        cycle = payroll_cycle_start(year=2026, month=3, actor=_finance())
        assert cycle.chunks_total >= 10

        # the worker dies hard once it has stored a few chunks
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if CycleChunk.objects.filter(cycle=cycle, is_done=True).count() >= 2:
                break
            time.sleep(0.05)
        _kill_children(worker.pid)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        cycle.refresh_from_db()
        assert cycle.status == "computing"
        assert cycle.chunks_done < cycle.chunks_total

        # started again, as a supervisor would: nobody resumes the cycle
        worker = start_worker()
        cycle = wait_for(cycle.pk, {"computed", "failed"}, timeout=240)
    finally:
        _kill_children(worker.pid)
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)

    assert cycle.status == "computed", cycle.error
    gross, net, count = recomputed_totals(cycle)
    assert cycle.totals["payslips"] == count
    assert Decimal(cycle.totals["gross"]) == gross
    assert Decimal(cycle.totals["net"]) == net
    assert cycle.payslips.values("worker_id").distinct().count() == count

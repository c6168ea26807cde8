"""Cycles on PostgreSQL with real Celery workers: simultaneous starts, and a
worker killed in the middle of a cycle."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, connections

from core.models import User, Worker
from payroll.cycles.compute import payslips_compute
from payroll.cycles.fetch import tables_for
from payroll.cycles.services import payroll_cycle_resume, payroll_cycle_start
from payroll.models import CycleChunk, PayrollCycle, Payslip

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def wait_for(cycle_id: int, statuses: set[str], timeout: float = 120) -> PayrollCycle:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cycle = PayrollCycle.objects.get(pk=cycle_id)
        if cycle.status in statuses:
            return cycle
        time.sleep(0.2)
    raise AssertionError(f"cycle {cycle_id} stayed {cycle.status}")


@pytest.fixture
def city():
    with open(os.devnull, "w") as devnull:
        call_command(
            "seed_demo", "--communities", "40", "--workers-per-community", "10",
            "--seed", "9", stdout=devnull,
        )  # fmt: skip
    return User.objects.get(username="finance")


def recomputed_totals(cycle: PayrollCycle) -> tuple[Decimal, Decimal, int]:
    """What an uninterrupted run gives: every payslip computed again in one go."""
    tables = tables_for(cycle)
    ids = list(cycle.payslips.values_list("worker_id", flat=True))
    communities = sorted(
        set(Worker.objects.filter(pk__in=ids).values_list("community_id", flat=True))
    )
    results = payslips_compute(cycle, ids, communities, tables)
    gross = sum((r.gross for _w, _c, r in results), Decimal("0.00"))
    net = sum((r.net for _w, _c, r in results), Decimal("0.00"))
    return gross, net, len(results)


@pytest.mark.real_worker
def test_two_simultaneous_starts_give_one_set_of_payslips(city, settings):
    settings.PAYROLL_CHUNK_SIZE = 60
    barrier = threading.Barrier(2)
    started: list[int] = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            barrier.wait()
            cycle = payroll_cycle_start(year=2026, month=3, actor=city)
            started.append(cycle.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(started)) == 1
    cycle = wait_for(started[0], {"computed", "failed"})
    assert cycle.status == "computed", cycle.error
    assert PayrollCycle.objects.count() == 1
    employed = Worker.objects.filter(joined_on__lte="2026-03-31").count()
    assert cycle.payslips.count() == employed
    assert Payslip.objects.values("worker_id").distinct().count() == employed


@pytest.mark.real_worker
def test_worker_killed_mid_cycle_then_resumed_gives_the_uninterrupted_totals(
    city, settings
):
    # given: a worker of our own on a queue of our own, and small chunks
    queue = f"killtest-{uuid.uuid4().hex[:8]}"
    settings.PAYROLL_TASK_QUEUE = queue
    settings.PAYROLL_CHUNK_SIZE = 20
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
         "--concurrency", "1", "--pool", "prefork", "--without-gossip",
         "--without-mingle", "--loglevel", "WARNING"],
        cwd=settings.BASE_DIR, env=env,
    )  # fmt: skip
    try:
        cycle = payroll_cycle_start(year=2026, month=3, actor=city)
        total = cycle.chunks_total
        assert total >= 10

        # when: the worker dies hard once it has stored a few chunks
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            done = CycleChunk.objects.filter(cycle=cycle, is_done=True).count()
            if done >= 2:
                break
            time.sleep(0.05)
        _kill_children(worker.pid)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()

    # then: every stored chunk is whole, and nothing else is stored
    cycle.refresh_from_db()
    done_ids = [
        pk
        for ids in CycleChunk.objects.filter(cycle=cycle, is_done=True).values_list(
            "worker_ids", flat=True
        )
        for pk in ids
    ]
    assert cycle.status == "computing"
    assert (
        0 < len(done_ids) < Worker.objects.filter(joined_on__lte="2026-03-31").count()
    )
    assert sorted(
        Payslip.objects.filter(cycle=cycle).values_list("worker_id", flat=True)
    ) == sorted(done_ids)

    # when: resumed on the regular workers
    settings.PAYROLL_TASK_QUEUE = "celery"
    payroll_cycle_resume(cycle=cycle, actor=city)
    cycle = wait_for(cycle.pk, {"computed", "failed"})

    # then: the same totals as an uninterrupted run
    assert cycle.status == "computed", cycle.error
    gross, net, count = recomputed_totals(cycle)
    assert cycle.totals["payslips"] == count
    assert Decimal(cycle.totals["gross"]) == gross
    assert Decimal(cycle.totals["net"]) == net


def _database_url() -> str:
    params = connection.settings_dict
    return (
        f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:"
        f"{params['PORT'] or 5432}/{params['NAME']}"
    )


def _kill_children(pid: int) -> None:
    """SIGKILL the prefork pool's processes too: a real crash takes them all."""
    try:
        output = subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
        ).stdout
    except FileNotFoundError:
        return
    for child in output.split():
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(child), signal.SIGKILL)

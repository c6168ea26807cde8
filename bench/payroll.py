"""Benchmark: compute and store one monthly payroll cycle for N workers.

    .venv/bin/python bench/payroll.py --workers 10000

Builds a demo city of N workers in a fresh database (a temporary SQLite file
unless DATABASE_URL is set), then times ``payroll_cycle_start`` (compute and
store every payslip and line; set-up excluded) and prints one JSON line:
``{"workers": N, "payslips": N, "seconds": s, "peak_rss_mb": m, ...}``.
With CELERY_BROKER_URL set, chunks go to the running Celery workers and the
clock stops when the cycle is computed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=10_000)
    parser.add_argument("--per-community", type=int, default=16)
    parser.add_argument("--month", default=None, help="YYYY-MM (default: this month)")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with DATABASE_URL: keep a database seeded by an earlier run of the same size",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="compute the cycle this many times (recomputing it) and report the best",
    )
    args = parser.parse_args()

    # Measured as deployed: DEBUG off (Django records every query when on).
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
    tmp = None
    if "DATABASE_URL" not in os.environ:
        tmp = tempfile.TemporaryDirectory()
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from core.models import Role, User, Worker
    from payroll.cycles.services import payroll_cycle_recompute, payroll_cycle_start
    from payroll.models.cycles import PayrollCycle

    call_command("migrate", verbosity=0)
    communities = max(1, round(args.workers / args.per_community))
    reuse = args.reuse and Worker.objects.count() == communities * args.per_community
    if reuse:
        # A seeded city from an earlier run: drop its cycles, keep the workers.
        from payroll.models import CycleChunk, Payslip

        Payslip.objects.all().delete()
        CycleChunk.objects.all().delete()
        PayrollCycle.objects.all().delete()
    elif connection.vendor != "sqlite":
        call_command("flush", interactive=False, verbosity=0)
    if not reuse:
        with open(os.devnull, "w") as devnull:
            call_command(
                "seed_demo",
                "--communities", str(communities),
                "--workers-per-community", str(args.per_community),
                "--seed", "1",
                stdout=devnull,
            )  # fmt: skip
    if connection.vendor == "postgresql":
        # Fresh bulk-loaded tables have no planner statistics until autovacuum
        # gets to them; a running system has them, so measure with them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    actor = User.objects.filter(role=Role.FINANCE).first()
    from django.utils import timezone

    today = timezone.localdate()
    year, month = (
        (int(x) for x in args.month.split("-"))
        if args.month
        else (today.year, today.month)
    )

    checker = User.objects.filter(role=Role.FINANCE).exclude(pk=actor.pk).first()
    timings: list[float] = []
    cpu: list[float] = []
    cycle = None
    for _attempt in range(max(1, args.repeat)):
        started, cpu_started = time.perf_counter(), time.process_time()
        if cycle is None:
            cycle = payroll_cycle_start(year=year, month=month, actor=actor)
        else:
            cycle = payroll_cycle_recompute(cycle=cycle, actor=checker)
        while True:
            cycle.refresh_from_db()
            if cycle.status in (
                PayrollCycle.Status.COMPUTED,
                PayrollCycle.Status.FAILED,
            ):
                break
            if time.perf_counter() - started > args.timeout:
                break
            time.sleep(0.02)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    seconds = min(timings)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "workers": communities * args.per_community,
                "payslips": cycle.payslips.count(),
                "lines": sum(
                    len(lines)
                    for lines in cycle.payslips.values_list("lines", flat=True)
                ),
                "status": cycle.status,
                "seconds": round(seconds, 3),
                "median_seconds": round(sorted(timings)[len(timings) // 2], 3),
                "cpu_seconds": round(min(cpu), 3),
                "runs": len(timings),
                "all_seconds": [round(t, 3) for t in timings],
                "peak_rss_mb": round(peak_kb / 1024, 1),
                "database": connection.vendor,
            }
        )
    )
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()

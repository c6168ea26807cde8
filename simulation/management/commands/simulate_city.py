"""Run a demo city month by month and check the invariants of issue 9:
``python manage.py simulate_city --start 2026-01 --months 36 --json``."""

import json
import logging
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from core.models import Worker
from simulation.city import build_city
from simulation.collect import check_city, fund_available_now
from simulation.driver import FUNDED_COMMUNITIES, CityDriver, cast_from_demo

SHOWN_PER_INVARIANT = 5


class Command(BaseCommand):
    help = (
        "Build a demo city and run it month by month through the services the "
        "pages use, then check every month and worker against the invariants."
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", default="2026-01", help="YYYY-MM")
        parser.add_argument("--months", type=int, default=36)
        parser.add_argument("--communities", type=int, default=30)
        parser.add_argument("--workers-per-community", type=int, default=15)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--json", action="store_true", help="end with one JSON line"
        )
        parser.add_argument(
            "--reset", action="store_true", help="empty the database first"
        )

    def handle(self, *args, **options):
        try:
            year, month = (int(p) for p in options["start"].split("-"))
            start = date(year, month, 1)
        except ValueError as exc:
            raise CommandError("--start must be YYYY-MM") from exc
        if options["months"] < 1:
            raise CommandError("--months must be at least 1")
        if options["communities"] < 1 or options["workers_per_community"] < 4:
            raise CommandError("需要至少 1 个社区、每个社区至少 4 人。")
        if Worker.objects.exists():
            if not options["reset"]:
                raise CommandError("The database holds data; use --reset to empty it.")
            call_command("flush", interactive=False, verbosity=0)
        # The simulated clock lives in this process: tasks run here too.
        from config.celery import app

        logging.getLogger("celery").setLevel(logging.WARNING)
        app.conf.task_always_eager = True
        app.conf.task_eager_propagates = True
        with (
            tempfile.TemporaryDirectory() as media,
            override_settings(DEBUG=False, PRIVATE_MEDIA_ROOT=media),
        ):
            result = self.simulate(start, options)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        if not result["ok"]:
            sys.exit(1)

    def simulate(self, start, options):
        started = time.perf_counter()
        demo = build_city(
            communities=options["communities"],
            workers_per_community=options["workers_per_community"],
            seed=options["seed"],
            start=start,
        )
        built = time.perf_counter() - started
        self.stdout.write(
            f"City of {demo.workers} workers in {len(demo.communities)} "
            f"communities built in {built:.1f} s."
        )
        driver = CityDriver(
            cast=cast_from_demo(
                demo.users, funded=demo.communities[:FUNDED_COMMUNITIES]
            ),
            seed=options["seed"],
            first_year=start.year,
            log=self.stdout.write,
        )
        monthly_violations = []

        def on_month(report):
            period = f"{report.year}-{report.month:02d}"
            monthly_violations.extend(fund_available_now(period))
            events = ", ".join(f"{k} {v}" for k, v in sorted(report.events.items()))
            self.stdout.write(
                f"{period}: cycle {report.status}, {report.payslips} payslips "
                f"in {report.seconds:.2f} s; {events}"
                + (f"\n  {report.error}" if report.error else "")
            )

        if start.month != 1:
            from core import clock

            with clock.frozen(start):
                driver.fund_years(start.year)
        reports = driver.run(start, options["months"], on_month=on_month)
        simulated = time.perf_counter() - started
        check = check_city(
            start=start, months=options["months"], extra=monthly_violations
        )
        counts = check.counts
        self.report(check.violations)
        ok = not check.violations
        result = {
            "months": options["months"],
            "start": start.strftime("%Y-%m"),
            "communities": len(demo.communities),
            "workers": demo.workers,
            "cycles": len(reports),
            "failed_cycles": sum(1 for r in reports if r.status == "failed"),
            "payslips": check.payslips,
            "seconds": round(time.perf_counter() - started, 1),
            "simulate_seconds": round(simulated, 1),
            "invariants": counts,
            "ok": ok,
        }
        self.stdout.write(
            f"{len(reports)} months in {result['seconds']} s; "
            + ("every invariant held." if ok else "INVARIANTS FAILED.")
        )
        return result

    def report(self, violations):
        by_name = defaultdict(list)
        for violation in violations:
            by_name[violation.invariant].append(violation)
        for name, found in by_name.items():
            self.stdout.write(f"{name}: {len(found)} violation(s)")
            for violation in found[:SHOWN_PER_INVARIANT]:
                self.stdout.write(
                    f"  {violation.subject} {violation.period}: {violation.detail}"
                )

"""Build the deterministic demo city: ``python manage.py seed_demo``."""

import argparse
import contextlib
import time
from datetime import date

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import clock
from core.demo import DEMO_PASSWORD, build_demo_city, demo_history_apps, demo_seed_apps
from core.models import Worker


class Command(BaseCommand):
    help = (
        "Create a demo city with communities, workers and one login per role; "
        "with its past: this year's payroll cycles up to last month, locked."
    )

    def add_arguments(self, parser):
        parser.add_argument("--communities", type=int, default=30)
        parser.add_argument("--workers-per-community", type=int, default=15)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--reset", action="store_true", help="empty the database first"
        )
        parser.add_argument(
            "--history",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="build this year's cycles up to last month (default on; "
            "--no-history for the bare city)",
        )

    def handle(self, *args, **options):
        if options["communities"] < 1 or options["workers_per_community"] < 4:
            raise CommandError("需要至少 1 个社区、每个社区至少 4 人。")
        if Worker.objects.exists():
            if not options["reset"]:
                self.stdout.write("Demo data already present; use --reset to rebuild.")
                return
            call_command("flush", interactive=False, verbosity=0)
        history = options["history"]
        if history is None:
            history = settings.DEMO_HISTORY
        started = time.perf_counter()
        today = clock.today()
        since = date(today.year, 1, 1)
        # With a past, the city's rows are stamped on 1 January, so that the
        # cycles of the months since see them as known when they were locked.
        stamp = clock.frozen(since) if history else contextlib.nullcontext()
        with transaction.atomic(), stamp:
            # With a past, the city is the one that stood on 1 January: no one
            # on its roster may have joined later (the months since add them).
            demo = build_demo_city(
                communities=options["communities"],
                workers_per_community=options["workers_per_community"],
                seed=options["seed"],
                today=since if history else today,
            )
            demo_seed_apps(demo=demo, seed=options["seed"], today=today)
        built = time.perf_counter() - started
        months = 0
        if history:
            months = demo_history_apps(
                demo=demo, seed=options["seed"], since=since, today=today
            )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Demo city: {len(demo.districts)} districts, {len(demo.streets)} streets, "
            f"{len(demo.communities)} communities, {demo.workers} workers "
            f"in {built:.1f} s"
            + (
                f"; {months} months of payroll locked, in {elapsed:.1f} s in all."
                if history
                else "."
            )
        )
        self.stdout.write(f"Logins (password {DEMO_PASSWORD}):")
        for username, user in demo.users.items():
            self.stdout.write(f"  {username:<10} {user.get_role_display()}")

"""Yearly progression (DOMAIN A3): ``manage.py progress_levels 2027 [--dry-run]``.

YEAR is the year on whose 1 January the new levels take effect; the years up
to YEAR − 1 are counted. Running it twice changes nothing the second time.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core import clock
from payroll.levels.services import progression_plan, progression_run


class Command(BaseCommand):
    help = "Raise levels on 1 January of YEAR by DOMAIN A3 (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        year = options["year"]
        try:
            if options["dry_run"]:
                plan = progression_plan(year=year)
                moving = [(w, d) for w, d, _n in plan if d is not None and d.moves]
                for worker, decision in moving:
                    self.stdout.write(
                        f"{worker.pk}\t{worker.full_name}\t{decision.old_level} → "
                        f"{decision.new_level}\t{_why(decision)}"
                    )
                skipped = [(w, n) for w, d, n in plan if d is None]
                self.stdout.write(
                    f"dry run: {len(moving)} of {len(plan)} workers would move "
                    f"on {year}-01-01; {len(skipped)} skipped"
                )
                return
            if date(year, 1, 1) > clock.today():
                raise CommandError("the year has not begun; use --dry-run")
            changes = progression_run(year=year)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{len(changes)} workers moved on {year}-01-01")


def _why(decision) -> str:
    parts = [f"{decision.countable_years} countable years"]
    if decision.failed_years:
        parts.append(
            "failed years not counted: "
            + ", ".join(str(y) for y in decision.failed_years)
        )
    if decision.regular_steps:
        parts.append(f"+{decision.regular_steps} regular")
    if decision.early_step:
        pair = "-".join(str(y) for y in decision.excellent_pair)
        parts.append(f"+1 early (excellent {pair})")
    if decision.capped:
        parts.append("capped at post's highest level")
    return "; ".join(parts)

"""Run a monthly payroll cycle for operators: ``manage.py run_payroll 2026-03``."""

import json
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.models import District, User
from payroll.cycles.services import payroll_cycle_start
from payroll.models import PayrollCycle


class Command(BaseCommand):
    help = "Compute a payroll cycle (city or one district) and print its totals."

    def add_arguments(self, parser):
        parser.add_argument("period", help="YYYY-MM")
        parser.add_argument("--district", help="district code (default: the city)")
        parser.add_argument("--user", help="username recorded as the one who computes")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--timeout", type=float, default=3600)

    def handle(self, *args, **options):
        try:
            year, month = (int(part) for part in options["period"].split("-"))
        except ValueError as exc:
            raise CommandError("period must be YYYY-MM") from exc
        district = None
        if options["district"]:
            district = District.objects.filter(code=options["district"]).first()
            if district is None:
                raise CommandError(f"unknown district code {options['district']}")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"unknown user {options['user']}")
        started = time.perf_counter()
        try:
            cycle = payroll_cycle_start(
                year=year, month=month, district=district, actor=actor
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        while cycle.status == PayrollCycle.Status.COMPUTING:
            if time.perf_counter() - started > options["timeout"]:
                raise CommandError("timed out waiting for the Celery workers")
            time.sleep(0.5)
            cycle.refresh_from_db()
        if cycle.status == PayrollCycle.Status.FAILED:
            raise CommandError(f"cycle failed: {cycle.error}")
        result = {
            "cycle": cycle.pk,
            "period": cycle.period,
            "scope": cycle.district.code if cycle.district else "city",
            "status": cycle.status,
            "payslips": cycle.totals.get("payslips", 0),
            "gross": cycle.totals.get("gross", "0.00"),
            "deductions": cycle.totals.get("deductions", "0.00"),
            "net": cycle.totals.get("net", "0.00"),
            "employer_cost": cycle.totals.get("employer_cost", "0.00"),
            "excluded": cycle.excluded_note,
            "seconds": round(time.perf_counter() - started, 2),
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(
            f"{result['period']} {result['scope']}: {cycle.get_status_display()}, "
            f"{result['payslips']} payslips, gross {result['gross']}, "
            f"deductions {result['deductions']}, net {result['net']}, "
            f"employer {result['employer_cost']} ({result['seconds']} s)"
        )
        if cycle.excluded_note:
            self.stdout.write(cycle.excluded_note)

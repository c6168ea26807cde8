"""Explain a worker's pay for a month: ``manage.py explain_pay 42 2026-03 [--json]``."""

import json
import re

from django.core.management.base import BaseCommand, CommandError

from core.models import Worker
from payroll.explain.month import explain_month


class Command(BaseCommand):
    help = "Print a worker's pay lines for a month with how each was derived."

    def add_arguments(self, parser):
        parser.add_argument("worker_id", type=int)
        parser.add_argument("period", help="YYYY-MM")
        parser.add_argument("--json", action="store_true", help="one JSON object")

    def handle(self, *args, **options):
        match = re.fullmatch(r"(\d{4})-(\d{2})", options["period"])
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise CommandError("period must be YYYY-MM")
        worker = Worker.objects.filter(pk=options["worker_id"]).first()
        if worker is None:
            raise CommandError(f"worker {options['worker_id']} not found")
        result = explain_month(worker, int(match.group(1)), int(match.group(2)))
        if result["error"] == "no_scale":
            raise CommandError(f"no adopted pay-scale version for {result['period']}")
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(
            f"{result['worker']['name']} (#{result['worker']['id']}) {result['period']}"
        )
        for line in result["lines"]:
            self.stdout.write(f"  {line['name']:<8} {line['amount']:>12}")
            self.stdout.write(f"      {line['derivation']}")
        self.stdout.write(f"  {'gross':<8} {result['gross']:>12}")

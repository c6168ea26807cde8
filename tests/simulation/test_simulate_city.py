"""simulate_city on a tiny city: the months run through the services, the
last line is the JSON summary, and a payslip tampered with afterwards is
named by the checks."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from payroll.models import PayrollCycle, Payslip
from simulation import invariants as inv
from simulation.collect import check_city

pytestmark = pytest.mark.django_db(transaction=True)


def test_simulate_city_runs_months_and_prints_the_summary_last(settings):
    out = StringIO()

    call_command(
        "simulate_city",
        "--start",
        "2026-01",
        "--months",
        "3",
        "--communities",
        "1",
        "--workers-per-community",
        "5",
        "--seed",
        "3",
        "--json",
        stdout=out,
    )

    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert summary["months"] == 3
    assert summary["cycles"] == 3
    assert summary["failed_cycles"] == 0
    assert summary["payslips"] == Payslip.objects.count() >= 15
    assert set(summary["invariants"]) == set(inv.ALL)
    assert summary["ok"] is True
    assert summary["seconds"] > 0
    cycles = PayrollCycle.objects.order_by("year", "month")
    assert [(c.year, c.month, c.status) for c in cycles] == [
        (2026, 1, "locked"),
        (2026, 2, "locked"),
        (2026, 3, "locked"),
    ]
    assert all(c.computed_by_id != c.approved_by_id for c in cycles)

    # A payslip changed behind the payroll's back is caught with its figures.
    payslip = Payslip.objects.order_by("pk").first()
    Payslip.objects.filter(pk=payslip.pk).update(net=payslip.net + 1)
    result = check_city(start=date(2026, 1, 1), months=3)
    assert result.counts[inv.LINES_SUM] == 1
    assert f"payslip holds {payslip.net + 1}" in result.violations[0].detail

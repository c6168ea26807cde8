"""seed_demo builds the current year from January: the months before this
one computed by 'finance', approved and locked by 'finance2'."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from core import clock
from payroll.cycles import services as cycles
from payroll.models import PayrollCycle, Payslip

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_demo_history_locks_the_months_before_this_one():
    out = StringIO()
    with clock.frozen(date(2026, 4, 15)):
        call_command(
            "seed_demo",
            "--communities",
            "2",
            "--workers-per-community",
            "6",
            "--seed",
            "5",
            "--history",
            stdout=out,
        )
        assert "3 months of payroll locked" in out.getvalue()
        locked = list(PayrollCycle.objects.order_by("year", "month"))
        assert [(c.year, c.month, c.status) for c in locked] == [
            (2026, 1, "locked"),
            (2026, 2, "locked"),
            (2026, 3, "locked"),
        ]
        for cycle in locked:
            assert cycle.computed_by.username == "finance"
            assert cycle.approved_by.username == "finance2"
            assert cycle.locked_by.username == "finance2"
        maker = locked[0].computed_by

        # This month's cycle starts from the year so far.
        april = cycles.payroll_cycle_start(year=2026, month=4, actor=maker)
        april.refresh_from_db()

    assert april.status == "computed"
    payslips = list(Payslip.objects.filter(cycle=april))
    assert payslips
    full_year = [p for p in payslips if p.worker.joined_on < date(2026, 1, 1)]
    assert full_year
    assert all(p.tax_ytd["months_paid"] == "4" for p in full_year)
    corrected = [
        p for p in payslips if any(line[0] == "adjustment" for line in p.lines)
    ]
    assert corrected, "the late changes of the demo reach back into locked months"

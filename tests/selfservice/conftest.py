"""A small demo city with two paid months, and the demo worker's login."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from core.models import User
from payroll.cycles import services as cycles


@pytest.fixture
def demo_city(db):
    call_command(
        "seed_demo", "--communities", "4", "--workers-per-community", "5", "--seed", "3"
    )
    return {name: User.objects.get(username=name) for name in ("finance", "finance2")}


@pytest.fixture
def pay_month(demo_city, django_capture_on_commit_callbacks):
    """Compute, approve and lock one month of the demo city."""

    def run(year: int, month: int, lock: bool = True):
        with django_capture_on_commit_callbacks(execute=True):
            cycle = cycles.payroll_cycle_start(
                year=year, month=month, actor=demo_city["finance"]
            )
        cycle.refresh_from_db()
        cycles.payroll_cycle_approve(cycle=cycle, actor=demo_city["finance2"])
        if lock:
            cycles.payroll_cycle_lock(cycle=cycle, actor=demo_city["finance2"])
        cycle.refresh_from_db()
        return cycle

    return run


@pytest.fixture
def worker_user(demo_city):
    return User.objects.select_related("worker").get(username="worker")

"""Payroll pages whose work must not grow with the year or the city."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import User
from payroll.cycles.services import payroll_cycle_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_city():
    call_command(
        "seed_demo", "--communities", "3", "--workers-per-community", "5", "--seed", "3"
    )


def _compute(month: int, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        payroll_cycle_start(
            year=2026, month=month, actor=User.objects.get(username="finance")
        )


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_tax_summary_queries_do_not_grow_with_the_months(
    demo_city, client, django_capture_on_commit_callbacks
):
    # given one month computed
    client.force_login(User.objects.get(username="finance"))
    _compute(1, django_capture_on_commit_callbacks)
    one_month, _ = _queries(client, "/payroll/tax-summary/?year=2026")
    # when three more months are computed
    for month in (2, 3, 4):
        _compute(month, django_capture_on_commit_callbacks)
    four_months, content = _queries(client, "/payroll/tax-summary/?year=2026")
    # then the page asks the database as often, and shows the year to date
    assert four_months == one_month
    assert ">4</td>" in content


def test_tax_summary_reads_no_payslip_lines(
    demo_city, client, django_capture_on_commit_callbacks
):
    client.force_login(User.objects.get(username="finance"))
    _compute(1, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as captured:
        client.get("/payroll/tax-summary/?year=2026")
    payslip_reads = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "payroll_payslip"' in q["sql"]
    ]
    assert payslip_reads
    assert all('"payroll_payslip"."lines"' not in sql for sql in payslip_reads)


# The indexation preview (A6): one city-wide computation per pair of tables
# and workforce, kept and read by every reader in her scope.


@pytest.fixture
def indexed(client):
    from payroll.models import ScaleVersion
    from tests.factories import CommunityFactory, UserFactory, WorkerFactory
    from tests.payroll.factories import scale_version

    version = scale_version()
    workers = [
        WorkerFactory(level=7),
        WorkerFactory(level=1, community=CommunityFactory()),
    ]
    client.force_login(UserFactory(role="city_staff"))
    client.post(
        f"/payroll/scales/{version.pk}/copy/",
        {"code": "2021", "effective_on": "2021-01-01", "mode": "index"},
    )
    return ScaleVersion.objects.get(code="2021"), workers


def test_indexation_cost_is_computed_once_and_kept(client, indexed):
    from payroll.models import IndexationCost

    new, _workers = indexed
    url = f"/payroll/scales/{new.pk}/indexation/"
    first = client.get(url).content.decode()
    kept = IndexationCost.objects.get()
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url).content.decode()
    assert IndexationCost.objects.get() == kept
    assert "187,200.00" in first
    assert "187,200.00" in again
    # the second reader's request computes nothing: no worker is read
    assert not any(
        'FROM "core_worker"' in q["sql"] and "MAX" not in q["sql"]
        for q in captured.captured_queries
    )


def test_indexation_cost_is_recomputed_when_the_workforce_changes(client, indexed):
    from payroll.models import IndexationCost
    from tests.factories import WorkerFactory

    new, workers = indexed
    url = f"/payroll/scales/{new.pk}/indexation/"
    client.get(url)
    WorkerFactory(level=1, community=workers[1].community)
    page = client.get(url).content.decode()
    assert IndexationCost.objects.count() == 2
    # one more level-1 worker: 12 × 6,864 more under the new table
    assert "269,568.00" in page


def test_district_staff_read_only_their_district_of_the_city_cost(client, indexed):
    from tests.factories import UserFactory

    new, workers = indexed
    mine, other = (w.community.street.district for w in workers)
    client.force_login(UserFactory(role="district_staff", district=mine))
    page = client.get(f"/payroll/scales/{new.pk}/indexation/").content.decode()
    assert mine.name in page
    assert other.name not in page


def test_indexation_cost_shows_progress_while_a_worker_computes_it(client, indexed):
    from payroll.models import IndexationCost
    from payroll.scales.costs import indexation_cost_compute
    from payroll.tasks import indexation_cost_compute_task

    new, _workers = indexed
    url = f"/payroll/scales/{new.pk}/indexation/"
    app = indexation_cost_compute_task.app
    app.conf.task_always_eager = False  # as with a broker: queued, not run
    try:
        waiting = client.get(url).content.decode()
    finally:
        app.conf.task_always_eager = True
    assert "<progress" in waiting
    assert 'http-equiv="refresh"' in waiting
    indexation_cost_compute(cost_id=IndexationCost.objects.get().pk)
    done = client.get(url).content.decode()
    assert "187,200.00" in done
    assert "<progress" not in done


def test_cycle_list_sums_a_districts_parts_in_queries_that_do_not_grow(
    demo_city, client, django_capture_on_commit_callbacks
):
    from payroll.models import Payslip

    district_user = User.objects.get(username="district")
    client.force_login(district_user)
    _compute(1, django_capture_on_commit_callbacks)
    one_month, _ = _queries(client, "/payroll/cycles/")
    for month in (2, 3):
        _compute(month, django_capture_on_commit_callbacks)
    three_months, content = _queries(client, "/payroll/cycles/")
    assert three_months == one_month
    # each city cycle shows the district's part (tests/payroll/test_cycle_scope.py
    # shows it differs from the city's sum)
    part = Payslip.objects.filter(
        month=3, community__street__district_id=district_user.district_id
    ).count()
    assert part > 0
    assert f'<td class="num">{part}</td>' in content


def test_city_trend_reads_the_cycles_stored_totals_and_matches_the_payslips(
    demo_city, django_capture_on_commit_callbacks
):
    from payroll.cycles.selectors import cycle_history
    from payroll.models import PayrollCycle, Payslip

    for month in (1, 2):
        _compute(month, django_capture_on_commit_callbacks)
    cycle = PayrollCycle.objects.get(year=2026, month=2)
    city = User.objects.get(username="city")
    with CaptureQueriesContext(connection) as captured:
        history = cycle_history(cycle, city)
    assert not any('FROM "payroll_payslip"' in q["sql"] for q in captured)
    for row in history[-2:]:
        month = int(row["label"][-2:])
        payslips = list(Payslip.objects.filter(year=2026, month=month))
        assert row["headcount"] == len(payslips) > 0
        assert row["gross"] == sum(p.gross for p in payslips)
        assert row["net"] == sum(p.net for p in payslips)
        assert row["employer_cost"] == sum(p.employer_cost for p in payslips)

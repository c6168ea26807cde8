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


def test_cycle_detail_sums_in_queries_that_do_not_grow(
    demo_city, client, django_capture_on_commit_callbacks
):
    from payroll.cycles.selectors import cycle_by_district, cycle_totals_by
    from payroll.models import PayrollCycle, Payslip

    _compute(1, django_capture_on_commit_callbacks)
    first = PayrollCycle.objects.get(year=2026, month=1)
    one_month = {}
    for username in ("city", "district"):
        client.force_login(User.objects.get(username=username))
        one_month[username], _ = _queries(client, f"/payroll/cycles/{first.pk}/")
    for month in (2, 3):
        _compute(month, django_capture_on_commit_callbacks)
    last = PayrollCycle.objects.get(year=2026, month=3)
    for username in ("city", "district"):
        client.force_login(User.objects.get(username=username))
        for level in ("district", "street", "community"):
            url = f"/payroll/cycles/{last.pk}/?by={level}"
            three_months, _ = _queries(client, url)
            # as many queries whatever the months and the grouping
            assert three_months == one_month[username], (username, level)
    # the sums the database makes are the payslips' sums
    payslips = list(Payslip.objects.filter(cycle=last).select_related("community"))
    for level, key in (
        ("community", lambda p: p.community.code),
        ("district", lambda p: p.community.street.district.code),
    ):
        groups = {row["code"]: row for row in cycle_totals_by(last, level)}
        assert sum(row["payslips"] for row in groups.values()) == len(payslips) > 0
        for code, row in groups.items():
            mine = [p for p in payslips if key(p) == code]
            assert row["payslips"] == len(mine)
            assert row["gross"] == sum(p.gross for p in mine)
            assert row["deductions"] == sum(p.deductions for p in mine)
            assert row["net"] == sum(p.net for p in mine)
            assert row["employer_cost"] == sum(p.employer_cost for p in mine)
    city = User.objects.get(username="city")
    previous = list(Payslip.objects.filter(year=2026, month=2))
    for name, before, now in cycle_by_district(last, city):
        assert now == sum(
            p.net for p in payslips if p.community.street.district.name == name
        )
        assert before == sum(
            p.net for p in previous if p.community.street.district.name == name
        )


def test_annuity_target_report_sums_in_queries_that_do_not_grow(
    demo_city, client, django_capture_on_commit_callbacks
):
    from decimal import Decimal

    from core.models import Role
    from payroll.annuity.selectors import target_report
    from payroll.annuity.services.postings import annuity_entry_reverse
    from payroll.annuity.views import _plan
    from payroll.cycles.services import payroll_cycle_approve, payroll_cycle_lock
    from payroll.models import AnnuityEntry, PayrollCycle
    from tests.factories import UserFactory

    checker = UserFactory(role=Role.FINANCE)

    def paid(month: int) -> None:
        # contributions are booked when a month is locked
        _compute(month, django_capture_on_commit_callbacks)
        cycle = PayrollCycle.objects.get(year=2026, month=month)
        payroll_cycle_approve(cycle=cycle, actor=checker)
        payroll_cycle_lock(cycle=cycle, actor=checker)

    client.force_login(User.objects.get(username="city"))
    paid(1)
    url = "/payroll/annuity/target/?year=2026"
    one_month, _ = _queries(client, url)
    for month in (2, 3):
        paid(month)
    three_months, _ = _queries(client, url)
    assert three_months == one_month
    # a blank base and a reversed contribution are left out as before
    entries = AnnuityEntry.objects.filter(
        kind=AnnuityEntry.Kind.CONTRIBUTION, account__worker__isnull=False
    )
    member = entries.filter(part=AnnuityEntry.Part.MEMBER).first()
    assert member is not None
    AnnuityEntry.objects.create(
        account=member.account,
        part=member.part,
        kind=member.kind,
        booked_on=member.booked_on,
        amount=Decimal("1.00"),
        params={"base": ""},
    )
    annuity_entry_reverse(
        entry=entries.exclude(pk=member.pk).first(), actor=checker, reason="test"
    )
    rows, total, _target = target_report(
        plan=_plan(), year=2026, user=User.objects.get(username="city")
    )
    kept = [
        e
        for e in entries.filter(booked_on__year=2026).select_related("account")
        if not AnnuityEntry.objects.filter(reverses=e).exists()
    ]
    assert total.members == len({e.account.worker_id for e in kept}) > 0
    assert total.contributions == sum(e.amount for e in kept)
    assert total.yearly_base == sum(
        Decimal(e.params["base"])
        for e in kept
        if e.part == AnnuityEntry.Part.MEMBER and e.params.get("base")
    )
    assert sum(row.members for row in rows) == total.members

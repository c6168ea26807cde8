"""Review before approval (issue 9): what changed since last month, read
before anyone approves; the checker may return the cycle with a reason."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from core import clock
from core.models import Role, Worker
from payroll.cycles.review import cycle_review
from payroll.cycles.services import (
    payroll_cycle_approve,
    payroll_cycle_lock,
    payroll_cycle_recompute,
    payroll_cycle_return,
    payroll_cycle_start,
)
from payroll.models import PayrollCycle
from ratings.services import star_rating_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def start(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            cycle = payroll_cycle_start(**kwargs)
        cycle.refresh_from_db()
        return cycle

    return start


def _city(communities=2):
    call_command(
        "seed_demo",
        "--communities",
        str(communities),
        "--workers-per-community",
        "5",
        "--seed",
        "3",
    )
    return UserFactory(role=Role.FINANCE), UserFactory(role=Role.FINANCE)


def _paid_january(run, maker, checker):
    with clock.frozen(date(2026, 1, 25)):
        january = run(year=2026, month=1, actor=maker)
        payroll_cycle_approve(cycle=january, actor=checker)
        payroll_cycle_lock(cycle=january, actor=checker)
    return january


def test_review_lists_what_changed_since_last_month(run):
    maker, checker = _city()
    _paid_january(run, maker, checker)
    workers = list(Worker.objects.filter(joined_on__lt=date(2026, 1, 1)))
    leaver, rated = workers[0], workers[1]
    with clock.frozen(date(2026, 2, 20)):
        leaver.left_on = date(2026, 1, 31)
        leaver.status = Worker.Status.LEFT
        leaver.save()
        # A 5★ rating dated in January: paid from February, corrected for none.
        star_rating_record(actor=None, worker=rated, rated_on=date(2026, 1, 1), stars=5)
        february = run(year=2026, month=2, actor=maker)

    review = cycle_review(february)

    assert review.previous.month == 1
    assert review.payslips_before == review.payslips_now + 1
    assert [r.worker_id for r in review.missing] == [leaver.pk]
    assert review.missing[0].detail == "2026-01-31"
    assert review.net_difference == review.net_now - review.net_before
    assert sum(d.difference for d in review.districts) == review.net_difference
    assert review.share == Decimal("0.1000")
    corrected = {r.worker_id for r in review.corrections}
    assert rated.pk in corrected  # January's star allowance, paid back now
    assert review.correction_workers == len(corrected)
    assert review.correction_total == sum(r.amount for r in review.corrections)
    for row in review.net_changes:
        assert abs(row.amount) > row.before * review.share


def test_review_runs_a_fixed_number_of_queries(run, django_assert_max_num_queries):
    maker, checker = _city(communities=1)
    _paid_january(run, maker, checker)
    with clock.frozen(date(2026, 2, 25)):
        small = run(year=2026, month=2, actor=maker)
    with django_assert_max_num_queries(6) as small_queries:
        cycle_review(small)
    small_count = small.payslips.count()
    if connection.vendor == "postgresql":
        # The rebuild flushes (TRUNCATE) inside this test's transaction:
        # PostgreSQL needs the deferred foreign-key checks run first.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command(
        "seed_demo",
        "--communities",
        "4",
        "--workers-per-community",
        "8",
        "--seed",
        "4",
        "--reset",
    )
    maker, checker = UserFactory(role=Role.FINANCE), UserFactory(role=Role.FINANCE)
    _paid_january(run, maker, checker)
    with clock.frozen(date(2026, 2, 25)):
        large = run(year=2026, month=2, actor=maker)
    assert large.payslips.count() > 2 * small_count
    with django_assert_max_num_queries(len(small_queries)):
        cycle_review(large)


def test_return_needs_a_reason_and_another_person_then_recompute(run):
    maker, checker = _city(communities=1)
    with clock.frozen(date(2026, 1, 25)):
        cycle = run(year=2026, month=1, actor=maker)
        with pytest.raises(PermissionDenied):
            payroll_cycle_return(cycle=cycle, actor=maker, reason="自己退回")
        with pytest.raises(ValidationError):
            payroll_cycle_return(cycle=cycle, actor=checker, reason="  ")

        returned = payroll_cycle_return(
            cycle=cycle, actor=checker, reason="社区A两人星级未录入"
        )

        assert returned.status == PayrollCycle.Status.RETURNED
        assert returned.returned_by == checker
        with pytest.raises(ValidationError):
            payroll_cycle_approve(cycle=returned, actor=checker)
        with pytest.raises(ValidationError):
            payroll_cycle_return(cycle=returned, actor=checker, reason="再退")
        recomputed = payroll_cycle_recompute(cycle=returned, actor=maker)
        assert recomputed.status == PayrollCycle.Status.COMPUTING


def test_cycle_page_shows_the_review_and_the_return(run, client):
    maker, checker = _city(communities=1)
    _paid_january(run, maker, checker)
    with clock.frozen(date(2026, 2, 25)):
        february = run(year=2026, month=2, actor=maker)
    client.force_login(checker)
    url = reverse("payroll:cycle-detail", args=[february.pk])

    page = client.get(url).content.decode()
    assert 'id="review"' in page
    assert "2026-01" in page
    assert 'id="return-reason"' in page

    client.post(
        reverse("payroll:cycle-action", args=[february.pk, "return"]),
        {"reason": "请核对二月新入职人员"},
    )
    february.refresh_from_db()
    assert february.status == PayrollCycle.Status.RETURNED
    client.force_login(maker)
    assert "请核对二月新入职人员" in client.get(url).content.decode()


def test_review_reads_in_english(run, client):
    maker, checker = _city(communities=1)
    _paid_january(run, maker, checker)
    with clock.frozen(date(2026, 2, 25)):
        february = run(year=2026, month=2, actor=maker)
    client.force_login(checker)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("payroll:cycle-detail", args=[february.pk]))

    text = page.content.decode()
    assert "Review of changes before approval" in text
    assert "Workers whose net pay changed by more than 10% since last month" in text
    assert "Paid last month, missing this month" in text

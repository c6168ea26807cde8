"""A worker's own pages: her months, a payslip with its reasons, the year,
her level, ratings and annuity, and her masked ID with a logged reveal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import ChangeLog, User
from core.rules import mask_citizen_id
from payroll.models import Payslip

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(pay_month):
    pay_month(2026, 3)
    pay_month(2026, 4, lock=False)


def test_my_pay_lists_exactly_her_months_newest_first(worker_user, paid, client):
    client.force_login(worker_user)

    page = client.get(reverse("selfservice:home"))

    rows = page.context["rows"]
    assert [(r.payslip.year, r.payslip.month) for r in rows] == [(2026, 4), (2026, 3)]
    assert {r.payslip.worker_id for r in rows} == {worker_user.worker_id}
    assert [r.is_paid for r in rows] == [False, True]
    text = page.content.decode()
    march = Payslip.objects.get(worker=worker_user.worker, year=2026, month=3)
    assert f"{march.net:,.2f}" in text
    assert "已发放" in text
    assert "已审核待发放" in text


def test_a_payslip_explains_every_line(worker_user, paid, client):
    client.force_login(worker_user)
    payslip = Payslip.objects.get(worker=worker_user.worker, year=2026, month=3)

    page = client.get(reverse("selfservice:payslip", args=[payslip.pk]))

    view = page.context["view"]
    shown = [row for _kind, rows in view.sections for row in rows]
    assert len(shown) == len(payslip.lines)
    assert all(row.derivation for row in shown)
    basic = next(row for row in shown if row.line.code == "basic")
    assert "70%" in basic.derivation
    assert basic.derivation in page.content.decode()
    # the official, signed PDF of the payslip
    assert view.pdf_url == reverse("payroll:payslip-pdf", args=[payslip.pk])


def test_year_statement_adds_up_her_months(worker_user, paid, client):
    client.force_login(worker_user)

    page = client.get(reverse("selfservice:statement-year", args=[2026]))

    statement = page.context["statement"]
    payslips = Payslip.objects.filter(worker=worker_user.worker, year=2026)
    assert statement.gross == sum(p.gross for p in payslips)
    assert statement.net == sum(p.net for p in payslips)
    assert statement.income_tax == sum(p.income_tax for p in payslips)
    assert [m.period for m in statement.months] == ["2026-03", "2026-04"]
    for month in statement.months:
        assert month.contributions + month.income_tax == month.payslip.deductions
    april = payslips.get(month=4)
    assert statement.ytd.tax_withheld == Decimal(april.tax_ytd["tax_withheld"])


def test_level_ratings_annuity_and_profile_pages_open(worker_user, paid, client):
    client.force_login(worker_user)

    for name in ("level", "ratings", "annuity", "profile", "statement"):
        assert client.get(reverse(f"selfservice:{name}")).status_code == 200
    level = client.get(reverse("selfservice:level"))
    assert list(level.context["changes"])  # her placement at least


def test_a_secretary_sees_her_own_pay_and_annuity(demo_city, paid, client):
    secretary = User.objects.get(username="secretary")
    client.force_login(secretary)

    home = client.get(reverse("selfservice:home"))
    annuity = client.get(reverse("selfservice:annuity"))

    assert {r.payslip.worker_id for r in home.context["rows"]} == {secretary.worker_id}
    assert home.context["has_annuity"]
    assert annuity.context["statement"].account.worker_id == secretary.worker_id


def test_her_id_is_masked_and_revealed_only_by_a_logged_post(worker_user, client):
    client.force_login(worker_user)
    worker = worker_user.worker

    page = client.get(reverse("selfservice:profile")).content.decode()
    assert worker.id_number not in page
    assert mask_citizen_id(worker.id_number) in page
    assert client.get(reverse("selfservice:profile-reveal")).status_code == 405

    revealed = client.post(
        reverse("selfservice:profile-reveal"), {"field": "id_number"}
    ).content.decode()

    assert worker.id_number in revealed
    entry = ChangeLog.objects.get(action=ChangeLog.Action.REVEAL)
    assert (entry.actor, entry.object_id, entry.note) == (
        worker_user,
        str(worker.pk),
        "id_number",
    )
    assert worker.id_number not in str(entry.changes)


def test_staff_do_not_use_the_workers_area(demo_city, client):
    client.force_login(User.objects.get(username="city"))
    assert client.get(reverse("selfservice:home")).status_code == 403


def test_her_pages_speak_english_when_she_chooses(worker_user, paid, client):
    client.force_login(worker_user)
    client.cookies["django_language"] = "en"
    payslip = Payslip.objects.get(worker=worker_user.worker, year=2026, month=3)
    pages = {
        "selfservice:home": ("My pay", "Paid"),
        "selfservice:statement": ("Cumulative tax withheld",),
        "selfservice:declarations": ("Declare a deduction", "My share"),
        "selfservice:level": ("Level history",),
        "selfservice:ratings": ("Star ratings",),
        "selfservice:profile": ("Show the full number",),
    }
    for name, words in pages.items():
        text = client.get(reverse(name)).content.decode()
        for word in words:
            assert word in text, (name, word)
        for chinese in ("我的工资", "年度汇总", "个税申报", "我的信息", "退出"):
            assert chinese not in text, (name, chinese)
        # Posts, deduction cases and punctuation in English too.
        for chinese in ("其他工作人员", "社区副职", "社区正职", "赡养老人", "。<"):
            assert chinese not in text, (name, chinese)
    slip = client.get(reverse("selfservice:payslip", args=[payslip.pk]))
    text = slip.content.decode()
    assert "Tap any item to see how it was worked out." in text
    assert "基本工资" not in text


def test_next_progression_is_the_first_year_payroll_moves_her(worker_user, client):
    from datetime import date

    from core import clock
    from payroll.levels.services import progression_plan
    from selfservice.selectors import next_progression

    worker = worker_user.worker
    today = clock.today()

    step = next_progression(worker, today)

    assert step is not None
    assert step.on.month == step.on.day == 1
    assert step.on > today
    one = type(worker).objects.filter(pk=worker.pk)
    for year in range(today.year + 1, step.on.year):
        assert not progression_plan(year=year, workers=one)[0][1].moves
    decision = progression_plan(year=step.on.year, workers=one)[0][1]
    assert (decision.moves, decision.new_level) == (True, step.level)
    client.force_login(worker_user)
    page = client.get(reverse("selfservice:level")).content.decode()
    assert step.on.strftime("%Y-%m-%d") in page
    assert date(step.on.year, 1, 1) == step.on


def test_a_late_star_rating_shows_as_a_correction_of_the_paid_month(
    worker_user, pay_month, client
):
    from datetime import date

    from ratings.models import StarRating
    from ratings.rules import default_valid_until

    # given: March paid, then a 5-star rating dated in February is recorded
    pay_month(2026, 3)
    worker = worker_user.worker
    StarRating.objects.filter(worker=worker).delete()
    StarRating.objects.create(
        worker=worker,
        rated_on=date(2026, 2, 1),
        stars=5,
        valid_until=default_valid_until(date(2026, 2, 1)),
    )
    # when: April is paid
    pay_month(2026, 4)
    client.force_login(worker_user)

    # then: March shows it was corrected in April, and April shows the correction
    rows = client.get(reverse("selfservice:home")).context["rows"]
    march, april = rows[1], rows[0]
    assert march.corrected_in == ["2026-04"]
    later = client.get(reverse("selfservice:payslip", args=[march.payslip.pk]))
    assert [period for period, _row in later.context["view"].corrected_later] == [
        "2026-04"
    ]
    view = client.get(reverse("selfservice:payslip", args=[april.payslip.pk])).context[
        "view"
    ]
    assert [row.corrects for row in view.corrections] == ["2026-03"]
    assert sum(row.line.amount for row in view.corrections) > 0


def test_my_pay_reads_a_fixed_number_of_queries(
    worker_user, pay_month, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pay_month(2026, 3)
    client.force_login(worker_user)
    with CaptureQueriesContext(connection) as one_month:
        client.get(reverse("selfservice:home"))
    pay_month(2026, 4)
    pay_month(2026, 5)

    with django_assert_max_num_queries(len(one_month)):
        client.get(reverse("selfservice:home"))

"""Rule inputs built from the database, explain_month and explain_pay."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from core.models import Worker
from payroll.cycles.fetch import month_inputs
from payroll.explain.month import explain_month
from payroll.models import PayrollCycle, Payslip
from payroll.rules.lines import EARNING
from tests.factories import WorkerFactory, WorkerPositionFactory
from tests.payroll.factories import (
    AnnualGradeFactory,
    LevelChangeFactory,
    StarRatingFactory,
    posts,
    scale_version,
)

pytestmark = pytest.mark.django_db
D = Decimal


def test_month_inputs_gather_everything_for_many_workers(django_assert_num_queries):
    scale_version()
    all_posts = posts()
    principal = WorkerFactory(post=all_posts["principal"], level=10)
    WorkerPositionFactory(worker=principal, position="secretary")
    WorkerPositionFactory(worker=principal, position="director")
    graded = WorkerFactory(level=7)
    AnnualGradeFactory(worker=graded, year=2024, grade="fail")
    AnnualGradeFactory(worker=graded, year=2025, grade="excellent")
    StarRatingFactory(worker=graded, rated_on=date(2025, 6, 1), stars=4)
    joined = WorkerFactory(joined_on=date(2026, 3, 10), started_on=date(2026, 3, 10))
    WorkerFactory(joined_on=date(2020, 1, 1), left_on=date(2026, 2, 28))
    with django_assert_num_queries(6):
        inputs = {i.worker_id: i for i in month_inputs(Worker.objects.all(), 2026, 3)}
    assert set(inputs) == {principal.pk, graded.pk, joined.pk}
    assert inputs[principal.pk].one_shoulder
    assert inputs[principal.pk].post == "principal"
    assert (inputs[graded.pk].grade, inputs[graded.pk].grade_year) == (
        "excellent",
        2025,
    )
    assert inputs[graded.pk].stars == 4
    assert not inputs[graded.pk].one_shoulder
    assert (inputs[joined.pk].days_worked, inputs[joined.pk].days_in_month) == (22, 31)


def test_month_inputs_query_count_does_not_grow(django_assert_num_queries):
    scale_version()
    for _ in range(30):
        worker = WorkerFactory()
        AnnualGradeFactory(worker=worker)
        StarRatingFactory(worker=worker)
        LevelChangeFactory(worker=worker)
    with django_assert_num_queries(6):
        assert len(month_inputs(Worker.objects.all(), 2026, 3)) == 30


def test_month_inputs_use_level_in_force_that_month():
    scale_version()
    worker = WorkerFactory(level=6)
    LevelChangeFactory(
        worker=worker, effective_on=date(2023, 1, 1), old_level=None, new_level=5
    )
    LevelChangeFactory(
        worker=worker,
        effective_on=date(2026, 1, 1),
        old_level=5,
        new_level=6,
        reason="progression",
    )
    [dec] = month_inputs(Worker.objects.all(), 2025, 12)
    [jan] = month_inputs(Worker.objects.all(), 2026, 1)
    assert (dec.level, jan.level) == (5, 6)


def test_expired_star_rating_pays_nothing():
    scale_version()
    worker = WorkerFactory()
    StarRatingFactory(worker=worker, rated_on=date(2023, 1, 1), stars=5)
    [inp] = month_inputs(Worker.objects.all(), 2026, 3)
    assert inp.stars is None


def test_explain_month_structure():
    scale_version()
    worker = WorkerFactory(level=7)
    result = explain_month(worker, 2026, 3)
    assert result["worker"] == {"id": worker.pk, "name": worker.full_name}
    assert result["period"] == "2026-03"
    assert result["gross"] == "6000.00"
    assert [line["code"] for line in result["lines"]] == ["basic", "performance"]
    basic = result["lines"][0]
    assert basic["amount"] == "4200.00"
    assert basic["kind"] == "earning"
    assert basic["name"] == "基本工资"
    assert (
        basic["derivation"]
        == "基本工资 = 标准工资 6,000.00 × 70% = 4,200.00（薪酬表 2020版，第7级）"
    )
    assert "尚无年度考核，按合格计" in result["lines"][1]["derivation"]


def test_explain_month_in_english():
    scale_version()
    worker = WorkerFactory(level=7)
    with translation.override("en"):
        result = explain_month(worker, 2026, 3)
    assert result["lines"][0]["derivation"] == (
        "Basic pay = standard pay 6,000.00 × 70% = 4,200.00 (pay scale 2020, level 7)"
    )


def test_explain_month_prorated_derivation():
    scale_version()
    worker = WorkerFactory(
        level=7, joined_on=date(2026, 3, 22), started_on=date(2026, 3, 22)
    )
    result = explain_month(worker, 2026, 3)
    assert "× 在岗 10/31 天 = 1,354.84" in result["lines"][0]["derivation"]


def test_explain_month_prefers_a_stored_payslip():
    scale_version()
    worker = WorkerFactory()
    cycle = PayrollCycle.objects.create(year=2026, month=3)
    payslip = Payslip.objects.create(
        cycle=cycle,
        worker=worker,
        community=worker.community,
        year=2026,
        month=3,
        gross=D("1.00"),
        deductions=D("0.00"),
        net=D("1.00"),
        employer_cost=D("0.00"),
        lines=[["basic", EARNING, "1.00", "A4.basic", "X", {}]],
    )
    result = explain_month(worker, 2026, 3)
    assert result["source"].startswith(f"payslip 2026-03 #{payslip.pk}")
    assert result["gross"] == "1.00"
    assert result["lines"][0]["amount"] == "1.00"


def test_explain_pay_json(capsys):
    scale_version()
    worker = WorkerFactory(level=7)
    call_command("explain_pay", str(worker.pk), "2026-03", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["gross"] == "6000.00"
    assert data["lines"][0] == {
        "code": "basic",
        "name": "基本工资",
        "kind": "earning",
        "amount": "4200.00",
        "rule": "A4.basic",
        "derivation": "基本工资 = 标准工资 6,000.00 × 70% = 4,200.00（薪酬表 2020版，第7级）",
    }


def test_explain_pay_text(capsys):
    scale_version()
    worker = WorkerFactory(level=7)
    call_command("explain_pay", str(worker.pk), "2026-03")
    out = capsys.readouterr().out
    assert "4200.00" in out
    assert "6000.00" in out

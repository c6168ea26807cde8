"""Derivation sentences for every line the earnings rule makes (no database)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from payroll.explain.sentences import derivation, money, percent, plain
from payroll.rules.earnings import MonthInput, month_earnings
from payroll.rules.floor import yearly_floor_top_up
from payroll.rules.lines import EARNING, PayLine
from tests.payroll.scales import demo_scale

D = Decimal
POSTS = {"principal": "社区正职", "deputy": "社区副职", "staff": "其他工作人员"}


def sentences(inp: MonthInput, scale=None) -> dict[str, str]:
    lines = month_earnings(inp, scale or demo_scale())
    return {line.code: derivation(line, POSTS) for line in lines}


def month(**kwargs) -> MonthInput:
    values = {
        "worker_id": 1,
        "year": 2026,
        "month": 3,
        "post": "principal",
        "level": 10,
        "days_worked": 31,
        "days_in_month": 31,
        "one_shoulder": True,
        "grade": "excellent",
        "grade_year": 2025,
        "stars": 4,
    }
    values.update(kwargs)
    return MonthInput(**values)


def test_formatting_helpers():
    assert money(D("6000")) == "6,000.00"
    assert percent(D("0.7000")) == "70%"
    assert percent(D("0.0410")) == "4.1%"
    assert plain(D("1.2000")) == "1.2"
    assert plain(D("1.0000")) == "1.0"


def test_every_line_has_its_sentence():
    text = sentences(month())
    assert text["basic"] == (
        "基本工资 = 标准工资 6,600.00 × 70% = 4,620.00（薪酬表 2026版，第10级）"
    )
    assert text["performance"] == (
        "绩效工资 = 标准工资 6,600.00 × 30% × 考核系数 1.2（2025年度考核优秀）"
        " = 2,376.00（薪酬表 2026版，第10级）"
    )
    assert text["post_allowance"] == (
        "岗位津贴 = 社区正职岗位津贴 600.00 = 600.00（薪酬表 2026版）"
    )
    assert text["one_shoulder"] == (
        "一肩挑补贴 = 书记、主任一肩挑 300.00 = 300.00（薪酬表 2026版）"
    )
    assert text["star_allowance"].startswith("星级津贴 = 4星")
    assert text["star_allowance"].endswith("400.00 = 400.00（薪酬表 2026版）")


def test_failed_year_sentence_shows_zero():
    text = sentences(month(grade="fail"))
    assert "考核系数 0.0（2025年度考核不合格） = 0.00" in text["performance"]


def test_prorated_sentence():
    text = sentences(month(days_worked=10))
    assert "× 在岗 10/31 天 = 1,490.32" in text["basic"]


def test_floor_top_up_sentence():
    low = demo_scale(standard_pay={1: D("3000.00")})
    text = sentences(
        month(post="staff", level=1, grade="fail", stars=None, one_shoulder=False), low
    )
    assert text["floor_top_up"] == (
        "最低工资补差 = 最低工资 2,490.00 − 应发工资 2,100.00 = 390.00（薪酬表 2026版）"
    )


def test_yearly_floor_sentence():
    line = yearly_floor_top_up(
        post="staff", year_total=D("100000.00"), scale=demo_scale()
    )
    assert derivation(line) == (
        "年度最低薪酬补差 = 年度保障线 105,600.00 − 年度薪酬 100,000.00 = 5,600.00"
        "（薪酬表 2026版）"
    )


def test_english_sentences():
    with translation.override("en"):
        text = sentences(month(days_worked=10))
    assert text["basic"] == (
        "Basic pay = standard pay 6,600.00 × 70% × 10/31 days worked = 1,490.32"
        " (pay scale 2026, level 10)"
    )
    assert "grade coefficient 1.2 (graded excellent for 2025)" in text["performance"]


def test_incomplete_params_fall_back_to_name_and_amount():
    line = PayLine("basic", EARNING, D("12.50"), "manual")
    assert derivation(line) == "基本工资 = 12.50"

"""The demo scheme of DOMAIN A4–A6 as a plain Scale, for rule tests."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from payroll.rules.scale import PostRange, Scale

D = Decimal

POSTS = {
    "principal": PostRange("principal", 7, 18),
    "deputy": PostRange("deputy", 4, 15),
    "staff": PostRange("staff", 1, 12),
}


def demo_scale(**changes: Any) -> Scale:
    scale = Scale(
        code="2026",
        standard_pay={n: D(4800) + D(200) * (n - 1) for n in range(1, 19)},
        post_allowance={"principal": D("600.00"), "deputy": D("300.00"), "staff": D(0)},
        one_shoulder_supplement=D("300.00"),
        basic_ratio=D("0.7000"),
        performance_ratio=D("0.3000"),
        grade_coefficients={
            "excellent": D("1.2000"),
            "pass": D("1.0000"),
            "basic_pass": D("0.8000"),
            "fail": D("0.0000"),
        },
        star_allowances={1: D(0), 2: D(100), 3: D(200), 4: D(400), 5: D(600)},
        minimum_wage=D("2490.00"),
        education_years={
            "below_bachelor": 0,
            "bachelor": 3,
            "master": 5,
            "doctor": 7,
        },
        certificate_levels={"assistant": 1, "intermediate": 2, "senior": 3},
        city_average_wage=D("132000.00"),
        growth_rate=D("0.0400"),
    )
    return replace(scale, **changes) if changes else scale

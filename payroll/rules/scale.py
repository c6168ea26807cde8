"""The pay-scale version as plain data: what every pay rule reads (DOMAIN A2–A6)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class PostRange:
    code: str
    lowest: int
    highest: int

    def clamp(self, level: int) -> int:
        return max(self.lowest, min(self.highest, level))


@dataclass(frozen=True)
class Scale:
    """One adopted (or draft) version of the pay tables, read from the database.

    Keys: ``standard_pay`` by level; ``post_allowance`` by post code;
    ``grade_coefficients`` by grade code; ``star_allowances`` by stars;
    ``education_years`` by education code; ``certificate_levels`` by certificate
    kind. Rates are fractions (0.7000 = 70%).
    """

    code: str
    standard_pay: Mapping[int, Decimal]
    post_allowance: Mapping[str, Decimal]
    one_shoulder_supplement: Decimal
    basic_ratio: Decimal
    performance_ratio: Decimal
    grade_coefficients: Mapping[str, Decimal]
    star_allowances: Mapping[int, Decimal]
    minimum_wage: Decimal
    education_years: Mapping[str, int] = field(default_factory=dict)
    certificate_levels: Mapping[str, int] = field(default_factory=dict)
    years_per_level: int = 3
    early_promotion_streak: int = 2
    max_early_promotions: int = 2
    star_validity_years: int = 2
    city_average_wage: Decimal = Decimal("0.00")
    growth_rate: Decimal = Decimal("0.0000")
    floor_principal_ratio: Decimal = Decimal("1.0000")
    floor_other_ratio: Decimal = Decimal("0.8000")
    principal_post: str = "principal"
    # Line codes that count as 特殊津贴 and are left out of the monthly floor
    # comparison (《最低工资规定》 art. 12); none of the A4 lines is one.
    floor_excluded_codes: frozenset[str] = frozenset()

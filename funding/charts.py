"""Server-rendered bar charts: geometry computed here, drawn as inline SVG."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

BAR_HEIGHT = 14
ROW_HEIGHT = 40
LABEL_WIDTH = 130
CHART_WIDTH = 640
PLOT_WIDTH = CHART_WIDTH - LABEL_WIDTH - 110


@dataclass(frozen=True)
class Bar:
    label: str
    budget: Decimal
    actual: Decimal
    y: int
    budget_width: int
    actual_width: int
    text_y: int
    actual_y: int
    actual_text_y: int
    value_x: int


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int
    title: str


def _scale(value: Decimal, top: Decimal) -> int:
    if top <= 0 or value <= 0:
        return 0
    return max(1, int(value * PLOT_WIDTH / top))


def budget_chart(rows: Sequence, title: str = "") -> BarChart:
    """Budget (light) against actual (dark) bars for rows with label/budget/actual."""
    top = max([r.budget for r in rows] + [r.actual for r in rows] + [Decimal(0)])
    bars = []
    for index, row in enumerate(rows):
        y = 10 + index * ROW_HEIGHT
        budget_width = _scale(row.budget, top)
        actual_width = _scale(row.actual, top)
        bars.append(
            Bar(
                label=row.label[:12],
                budget=row.budget,
                actual=row.actual,
                y=y,
                budget_width=budget_width,
                actual_width=actual_width,
                text_y=y + BAR_HEIGHT - 2,
                actual_y=y + BAR_HEIGHT + 2,
                actual_text_y=y + 2 * BAR_HEIGHT,
                value_x=LABEL_WIDTH + max(budget_width, actual_width) + 6,
            )
        )
    return BarChart(
        bars=tuple(bars),
        width=CHART_WIDTH,
        height=20 + len(bars) * ROW_HEIGHT,
        label_width=LABEL_WIDTH,
        title=title,
    )

"""Server-rendered bar charts: geometry computed here, drawn as inline SVG."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

BAR_HEIGHT = 14
ROW_HEIGHT = 40
LABEL_WIDTH = 150
# A label fits in LABEL_WIDTH at 12 px: about 11 Chinese or 22 Latin characters.
LABEL_UNITS = 22
CHART_WIDTH = 640
PLOT_WIDTH = CHART_WIDTH - LABEL_WIDTH - 110


@dataclass(frozen=True)
class Bar:
    label: str
    full_label: str
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


def _short(label: str) -> str:
    """The label cut to fit its column; wide (CJK) characters count double."""
    units = 0
    for index, char in enumerate(label):
        units += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        if units > LABEL_UNITS:
            return label[: max(index - 1, 1)] + "…"
    return label


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
                label=_short(str(row.label)),
                full_label=str(row.label),
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

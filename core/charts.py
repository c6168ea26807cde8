"""Server-side SVG charts: geometry here, drawing in templates/core/charts/.

Plain SVG with a viewBox scales to a phone's width and prints in PDFs (no
script). Values are Decimals or ints; nothing here reads the database.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

LABEL_UNITS = 16


def short_label(label: str, units: int = LABEL_UNITS) -> str:
    """The label cut to ``units`` (wide CJK characters count double)."""
    used = 0
    for index, char in enumerate(label):
        used += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        if used > units:
            return label[: max(index - 1, 1)] + "…"
    return label


def _scale(value: Any, top: Any, size: int) -> int:
    if not top or top <= 0 or not value or value <= 0:
        return 0
    return max(1, int(Decimal(value) * size / Decimal(top)))


@dataclass(frozen=True)
class Column:
    label: str
    value: Any
    x: int
    y: int
    width: int
    height: int
    highlight: bool


@dataclass(frozen=True)
class ColumnChart:
    """Vertical bars, one per period (e.g. this month and the twelve before)."""

    title: str
    columns: tuple[Column, ...]
    width: int
    height: int
    base_y: int
    money: bool
    latest: Any
    change: Decimal | None  # latest against the one before, in percent


def column_chart(
    title: str, points: Sequence[tuple[str, Any]], *, money: bool = True
) -> ColumnChart:
    """``points``: (label, value) oldest first; the last one is highlighted."""
    width, plot_height, top_pad, bottom_pad = 300, 90, 16, 22
    step = width // max(len(points), 1)
    top = max([v for _label, v in points if v] or [0])
    columns = []
    for index, (label, value) in enumerate(points):
        height = _scale(value, top, plot_height)
        columns.append(
            Column(
                label=label,
                value=value,
                x=index * step + 2,
                y=top_pad + plot_height - height,
                width=max(step - 4, 2),
                height=height,
                highlight=index == len(points) - 1,
            )
        )
    latest = points[-1][1] if points else None
    previous = points[-2][1] if len(points) > 1 else None
    change = (
        ((Decimal(latest) - Decimal(previous)) * 100 / Decimal(previous)).quantize(
            Decimal("0.1")
        )
        if latest is not None and previous
        else None
    )
    return ColumnChart(
        title=title,
        columns=tuple(columns),
        width=width,
        height=top_pad + plot_height + bottom_pad,
        base_y=top_pad + plot_height,
        money=money,
        latest=latest,
        change=change,
    )


@dataclass(frozen=True)
class PairBar:
    label: str
    full_label: str
    first: Any
    second: Any
    y: int
    first_width: int
    second_width: int
    value_x: int


@dataclass(frozen=True)
class PairChart:
    """Two bars per row: ``first`` (light) against ``second`` (dark)."""

    title: str
    first_label: str
    second_label: str
    bars: tuple[PairBar, ...]
    width: int
    height: int
    label_width: int


def pair_chart(
    title: str,
    rows: Sequence[tuple[str, Any, Any]],
    *,
    first_label: str,
    second_label: str,
) -> PairChart:
    width, label_width, value_room, row_height = 640, 130, 120, 40
    plot = width - label_width - value_room
    top = max([v for _l, a, b in rows for v in (a, b) if v] or [0])
    bars = []
    for index, (label, first, second) in enumerate(rows):
        y = 8 + index * row_height
        first_width = _scale(first, top, plot)
        second_width = _scale(second, top, plot)
        bars.append(
            PairBar(
                label=short_label(str(label)),
                full_label=str(label),
                first=first,
                second=second,
                y=y,
                first_width=first_width,
                second_width=second_width,
                value_x=label_width + max(first_width, second_width) + 6,
            )
        )
    return PairChart(
        title=title,
        first_label=first_label,
        second_label=second_label,
        bars=tuple(bars),
        width=width,
        height=16 + len(bars) * row_height,
        label_width=label_width,
    )


@dataclass(frozen=True)
class Segment:
    x: int
    width: int
    colour: str
    label: str
    value: int


@dataclass(frozen=True)
class StackRow:
    label: str
    y: int
    total: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class StackChart:
    """One horizontal bar per row, split into coloured segments (a legend)."""

    title: str
    rows: tuple[StackRow, ...]
    legend: tuple[tuple[str, str], ...]
    width: int
    height: int
    label_width: int


PALETTE = ("#b71c1c", "#f59e0b", "#2563eb", "#15803d", "#7c3aed", "#6b7280")


def stack_chart(
    title: str,
    rows: Sequence[tuple[str, Sequence[int]]],
    *,
    series: Sequence[str],
) -> StackChart:
    """``rows``: (label, counts per series); ``series``: the segment names."""
    width, label_width, value_room, row_height = 640, 60, 50, 20
    plot = width - label_width - value_room
    top = max([sum(counts) for _label, counts in rows] or [0])
    stacked = []
    for index, (label, counts) in enumerate(rows):
        x = label_width
        segments = []
        for position, count in enumerate(counts):
            size = _scale(count, top, plot)
            if size:
                segments.append(
                    Segment(
                        x=x,
                        width=size,
                        colour=PALETTE[position % len(PALETTE)],
                        label=series[position],
                        value=count,
                    )
                )
            x += size
        stacked.append(
            StackRow(
                label=str(label),
                y=6 + index * row_height,
                total=sum(counts),
                segments=tuple(segments),
            )
        )
    return StackChart(
        title=title,
        rows=tuple(stacked),
        legend=tuple(
            (name, PALETTE[i % len(PALETTE)]) for i, name in enumerate(series)
        ),
        width=width,
        height=12 + len(stacked) * row_height,
        label_width=label_width,
    )

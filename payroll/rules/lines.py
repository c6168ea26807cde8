"""The unit every pay rule returns: one payslip line with how it was derived."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.decimals import sum_amounts

EARNING = "earning"
DEDUCTION = "deduction"
EMPLOYER = "employer"


@dataclass(frozen=True)
class PayLine:
    """A payslip line.

    ``rule`` names the clause (e.g. ``"A4.basic"``), ``version`` the table
    version used, and ``params`` holds the inputs and intermediate numbers as
    strings, so the derivation can be rendered as a sentence in the reader's
    language later without storing paragraphs.
    """

    code: str
    kind: str
    amount: Decimal
    rule: str
    version: str = ""
    params: Mapping[str, str] = field(default_factory=dict)

    def to_row(self) -> list[Any]:
        """The compact stored form, ``[code, kind, amount, rule, version,
        params]`` (``Payslip.lines`` holds one such row per line, in order)."""
        return [
            self.code,
            self.kind,
            str(self.amount),
            self.rule,
            self.version,
            dict(self.params),
        ]

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> PayLine:
        """The line a stored row (``to_row``) was made from."""
        code, kind, amount, rule, version, params = row
        return cls(
            code=code,
            kind=kind,
            amount=Decimal(amount),
            rule=rule,
            version=version,
            params=params,
        )


def lines_from_rows(rows: Iterable[Sequence[Any]]) -> tuple[PayLine, ...]:
    return tuple(PayLine.from_row(row) for row in rows)


def total(lines: Iterable[PayLine], kind: str) -> Decimal:
    return sum_amounts(line.amount for line in lines if line.kind == kind)


def gross(lines: Iterable[PayLine]) -> Decimal:
    return total(lines, EARNING)


def net(lines: Iterable[PayLine]) -> Decimal:
    materialised = list(lines)
    return gross(materialised) - total(materialised, DEDUCTION)

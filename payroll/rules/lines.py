"""The unit every pay rule returns: one payslip line with how it was derived."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

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


def total(lines: Iterable[PayLine], kind: str) -> Decimal:
    return sum_amounts(line.amount for line in lines if line.kind == kind)


def gross(lines: Iterable[PayLine]) -> Decimal:
    return total(lines, EARNING)


def net(lines: Iterable[PayLine]) -> Decimal:
    materialised = list(lines)
    return gross(materialised) - total(materialised, DEDUCTION)

"""Pure rules of the organisation and the roster (no Django, no clock)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CODES = "10X98765432"


class CitizenIdError(ValueError):
    """Raised with a code: ``length``, ``format``, ``checksum``, ``birth_date``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class CitizenId:
    number: str
    birth_date: date
    gender: str  # "M" or "F"


def citizen_id_check_code(first17: str) -> str:
    """GB 11643-1999 check character (ISO 7064 MOD 11-2) for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CODES[total % 11]


def parse_citizen_id(raw: str, *, today: date) -> CitizenId:
    """Validate an 18-digit citizen ID and derive birth date and gender.

    The 17th digit is odd for men and even for women; the birth date must be a
    real date, not in the future and not before 1900.
    """
    number = raw.strip().upper()
    if len(number) != 18:
        raise CitizenIdError("length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise CitizenIdError("format")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise CitizenIdError("birth_date") from exc
    if birth > today or birth.year < 1900:
        raise CitizenIdError("birth_date")
    if citizen_id_check_code(number[:17]) != number[17]:
        raise CitizenIdError("checksum")
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return CitizenId(number=number, birth_date=birth, gender=gender)


def mask_citizen_id(number: str) -> str:
    """Keep the region code's first 3 and the last 4 characters: 320***********123X."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_account(number: str) -> str:
    """Keep the last 4 digits of a bank account."""
    digits = number.replace(" ", "")
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


@dataclass(frozen=True)
class CentreStandard:
    """DOMAIN A10: area per 100 households and a minimum total (dated data)."""

    area_per_100_households: Decimal
    minimum_total_area: Decimal


def centre_required_area(households: int, standard: CentreStandard) -> Decimal:
    """Required area of the service centre: 30 m² per 100 households, at least 600.

    1,500 households -> max(450, 600) = 600 m²; 2,500 households -> 750 m².
    """
    per_household = standard.area_per_100_households * Decimal(households) / 100
    return max(per_household, standard.minimum_total_area)


def centre_meets_standard(
    households: int, area: Decimal, standard: CentreStandard
) -> bool:
    return area >= centre_required_area(households, standard)


def full_years_between(start: date, end: date) -> int:
    """Whole years from start to end (a birthday-style count), never negative."""
    if end < start:
        return 0
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def mask_name(name: str) -> str:
    """Keep the first character of a name: 张三丰 -> 张**; Li Lei -> L******."""
    name = name.strip()
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)

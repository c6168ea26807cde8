"""Models of payroll: pay-scale versions (scales.py) and level history (levels.py)."""

from payroll.models.cycles import (
    ContributionBase,
    ContributionRates,
    CycleChunk,
    PayrollCycle,
    Payslip,
    TaxBracket,
    TaxDeclaration,
    TaxTable,
    YearEndBonus,
)
from payroll.models.levels import LevelChange
from payroll.models.scales import (
    PARAMETER_KINDS,
    SCALE_VERSION_USED,
    ParameterCode,
    ScaleCertificateLevels,
    ScaleEducationYears,
    ScaleGradeCoefficient,
    ScaleLevelPay,
    ScaleParameter,
    ScalePostAllowance,
    ScaleRow,
    ScaleStarAllowance,
    ScaleVersion,
)

__all__ = [
    "PARAMETER_KINDS",
    "SCALE_VERSION_USED",
    "ContributionBase",
    "ContributionRates",
    "CycleChunk",
    "LevelChange",
    "ParameterCode",
    "PayrollCycle",
    "Payslip",
    "ScaleCertificateLevels",
    "ScaleEducationYears",
    "ScaleGradeCoefficient",
    "ScaleLevelPay",
    "ScaleParameter",
    "ScalePostAllowance",
    "ScaleRow",
    "ScaleStarAllowance",
    "ScaleVersion",
    "TaxBracket",
    "TaxDeclaration",
    "TaxTable",
    "YearEndBonus",
]

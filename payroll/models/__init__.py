"""Models of payroll: pay-scale versions (scales.py) and level history (levels.py)."""

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
    "LevelChange",
    "ParameterCode",
    "ScaleCertificateLevels",
    "ScaleEducationYears",
    "ScaleGradeCoefficient",
    "ScaleLevelPay",
    "ScaleParameter",
    "ScalePostAllowance",
    "ScaleRow",
    "ScaleStarAllowance",
    "ScaleVersion",
]

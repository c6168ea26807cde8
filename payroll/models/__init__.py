"""Models of payroll, one module per concept; every model is re-exported here."""

from payroll.models.annuity import (
    AnnuityAccount,
    AnnuityBase,
    AnnuityEntry,
    AnnuityMembership,
    AnnuityMembershipChange,
    AnnuityReturn,
)
from payroll.models.annuity_plans import (
    AnnuityLegalCaps,
    AnnuityPlan,
    AnnuityPlanVersion,
    AnnuityVestingStep,
    LeavingReason,
)
from payroll.models.cycles import CycleChunk, PayrollCycle, Payslip
from payroll.models.declarations import (
    DeductionCategory,
    DeductionClaim,
    DeductionStandard,
)
from payroll.models.inputs import OpeningBalance, TaxDeclaration, YearEndBonus
from payroll.models.levels import LevelChange
from payroll.models.policies import BankFileLayout, CorrectionPolicy, CycleReviewPolicy
from payroll.models.scale_tables import (
    PARAMETER_KINDS,
    SCALE_TABLES,
    ParameterCode,
    ScaleCertificateLevels,
    ScaleEducationYears,
    ScaleGradeCoefficient,
    ScaleLevelPay,
    ScaleParameter,
    ScalePostAllowance,
    ScaleStarAllowance,
    ScaleTable,
)
from payroll.models.scales import (
    SCALE_VERSION_USED,
    IndexationCost,
    ScaleRow,
    ScaleVersion,
)
from payroll.models.tables import (
    ContributionBase,
    ContributionRates,
    TaxBracket,
    TaxTable,
)

__all__ = [
    "PARAMETER_KINDS",
    "SCALE_TABLES",
    "SCALE_VERSION_USED",
    "AnnuityAccount",
    "AnnuityBase",
    "AnnuityEntry",
    "AnnuityLegalCaps",
    "AnnuityMembership",
    "AnnuityMembershipChange",
    "AnnuityPlan",
    "AnnuityPlanVersion",
    "AnnuityReturn",
    "AnnuityVestingStep",
    "BankFileLayout",
    "ContributionBase",
    "ContributionRates",
    "CorrectionPolicy",
    "CycleChunk",
    "CycleReviewPolicy",
    "DeductionCategory",
    "DeductionClaim",
    "DeductionStandard",
    "IndexationCost",
    "LeavingReason",
    "LevelChange",
    "OpeningBalance",
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
    "ScaleTable",
    "ScaleVersion",
    "TaxBracket",
    "TaxDeclaration",
    "TaxTable",
    "YearEndBonus",
]

"""Writes of payroll: pay-scale versions and their rows.

A version that a payroll has used is frozen: ``scale_version_mark_used`` is
what the payroll cycle calls when it first computes with a version.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from payroll.models import (
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
from payroll.rules.indexation import NegativeGrowthError, index_amount
from payroll.scales.selectors import scale_for

ROW_MODELS: tuple[type[ScaleRow], ...] = (
    ScaleLevelPay,
    ScalePostAllowance,
    ScaleGradeCoefficient,
    ScaleStarAllowance,
    ScaleEducationYears,
    ScaleCertificateLevels,
    ScaleParameter,
)
NO_SCALE_IN_FORCE = "%(day)s 没有已启用的薪酬表版本。"
NEGATIVE_GROWTH = "增长率不能为负数。"
ALREADY_ADOPTED = "该版本已启用。"
FUTURE_CHANGE = "等级变动的生效日期不能晚于今天。"


def scale_version_check_editable(version: ScaleVersion) -> None:
    """Refuse any change to a version a payroll has used (re-read from the DB)."""
    if (
        version.pk
        and ScaleVersion.objects.filter(pk=version.pk, used_at__isnull=False).exists()
    ):
        raise ValidationError(SCALE_VERSION_USED)


@transaction.atomic
def scale_version_save(*, version: ScaleVersion) -> ScaleVersion:
    scale_version_check_editable(version)
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def scale_row_save(*, row: ScaleRow) -> ScaleRow:
    scale_version_check_editable(row.version)  # type: ignore[attr-defined]
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def scale_row_delete(*, row: ScaleRow) -> None:
    scale_version_check_editable(row.version)  # type: ignore[attr-defined]
    row.delete()


@transaction.atomic
def scale_version_mark_used(version: ScaleVersion) -> ScaleVersion:
    """Freeze ``version``: called by the payroll cycle the first time it
    computes payslips with it. Idempotent; the first time is kept."""
    locked = ScaleVersion.objects.select_for_update().get(pk=version.pk)
    if locked.used_at is None:
        locked.used_at = clock.now()
        locked.save(update_fields=["used_at"])
    version.used_at = locked.used_at
    return locked


@transaction.atomic
def scale_version_adopt(*, version: ScaleVersion) -> ScaleVersion:
    """Adopt a draft: from its effective date it is the version in force. The
    tables are checked complete first, so payroll never meets a gap."""
    scale_version_check_editable(version)
    if version.status == ScaleVersion.Status.ADOPTED:
        raise ValidationError(_(ALREADY_ADOPTED))
    scale_for(version)  # raises ScaleMissingError when a parameter is missing
    version.status = ScaleVersion.Status.ADOPTED
    version.adopted_at = clock.now()
    version.full_clean()
    version.save(update_fields=["status", "adopted_at"])
    return version


def _copy_rows(
    source: ScaleVersion, target: ScaleVersion, overrides: dict[Any, Any] | None = None
) -> None:
    overrides = overrides or {}
    for model in ROW_MODELS:
        related = model._meta.get_field("version").remote_field.related_name  # type: ignore[union-attr]
        rows = []
        for row in getattr(source, related).all():
            row.pk = None
            row.id = None
            row.version = target
            change = overrides.get((model, _row_key(row)))
            if change:
                for field, value in change.items():
                    setattr(row, field, value)
            rows.append(row)
        model.objects.bulk_create(rows)


def _row_key(row: ScaleRow) -> Any:
    for name in ("level", "post_id", "grade", "stars", "education", "kind", "code"):
        if hasattr(row, name):
            return getattr(row, name)
    return None


@transaction.atomic
def scale_version_copy(
    *,
    version: ScaleVersion,
    code: str,
    effective_on: date,
    name: str = "",
    source_note: str = "",
) -> ScaleVersion:
    """A new draft with every row of ``version``; the copy is freely editable."""
    new = ScaleVersion(
        code=code,
        name=name or _("薪酬表 %(code)s") % {"code": code},
        effective_on=effective_on,
        source_note=source_note or _("复制自 %(code)s") % {"code": version.code},
        based_on=version,
    )
    new.full_clean()
    new.save()
    _copy_rows(version, new)
    return new


@transaction.atomic
def scale_version_index(
    *,
    version: ScaleVersion,
    code: str,
    effective_on: date,
    growth_rate: Decimal | None = None,
    name: str = "",
) -> ScaleVersion:
    """DOMAIN A6: next year's draft, with S(n) and the post allowances grown
    by the growth rate (the version's ``growth_rate`` parameter unless given),
    rounded to the yuan. Everything else is copied unchanged."""
    if growth_rate is None:
        parameter = version.parameters.filter(code=ParameterCode.GROWTH_RATE).first()
        growth_rate = parameter.rate if parameter else None
    rate = growth_rate
    if rate is None or rate < 0:
        raise ValidationError(_(NEGATIVE_GROWTH))
    percent = (rate * 100).normalize()
    note = _("按平均工资增长率 %(rate)s%% 由 %(code)s 自然增长") % {
        "rate": f"{percent:f}",
        "code": version.code,
    }
    overrides: dict[Any, Any] = {}
    try:
        for row in version.level_pays.all():
            overrides[(ScaleLevelPay, row.level)] = {
                "standard_pay": index_amount(row.standard_pay, rate),
                "source_note": note,
            }
        for row in version.post_allowances.all():
            overrides[(ScalePostAllowance, row.post_id)] = {
                "amount": index_amount(row.amount, rate),
                "source_note": note,
            }
    except NegativeGrowthError as exc:
        raise ValidationError(_(NEGATIVE_GROWTH)) from exc
    new = ScaleVersion(
        code=code,
        name=name or _("薪酬表 %(code)s") % {"code": code},
        effective_on=effective_on,
        source_note=note,
        based_on=version,
    )
    new.full_clean()
    new.save()
    _copy_rows(version, new, overrides)
    return new

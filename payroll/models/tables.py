"""The dated tables a cycle reads: contribution rates, the tax table and its
brackets, contribution bases (DOMAIN A5, A7).

Rates are ``DecimalField(7, 4)`` fractions. A table once used by a cycle is
frozen (``UsedTableGuard``): a change is a new version with a later date.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import ClockDateTimeField
from core.fields import amount_field as money
from core.fields import entered_amount_field as entered_money
from core.fields import rate_field as rate
from core.models import Worker

TABLE_USED = _("该参数表已被工资核算使用，不能再修改；请新建一个生效日期更晚的版本。")


class UsedTableGuard(models.Model):
    """A dated table that freezes once a cycle has read it."""

    used_at = models.DateTimeField(
        _("首次被核算使用"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("update_fields") != ["used_at"]:
            self._refuse_if_used()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse_if_used()
        return super().delete(*args, **kwargs)

    def _refuse_if_used(self) -> None:
        if self.pk is None:
            return
        stored = (
            type(self)
            ._default_manager.filter(pk=self.pk)
            .values_list("used_at", flat=True)
            .first()
        )
        if stored is not None:
            raise ValidationError(TABLE_USED)


class ContributionRates(UsedTableGuard):
    """Social insurance and housing fund rates and bases (DOMAIN A7), dated."""

    effective_on = models.DateField(_("生效日期"), unique=True)
    si_employee_pension = rate(_("个人养老保险费率"))
    si_employee_medical = rate(_("个人医疗保险费率"))
    si_employee_unemployment = rate(_("个人失业保险费率"))
    si_employer_pension = rate(_("单位养老保险费率"))
    si_employer_medical = rate(_("单位医疗保险费率（含生育）"))
    si_employer_unemployment = rate(_("单位失业保险费率"))
    si_employer_work_injury = rate(_("单位工伤保险费率"))
    si_base_floor = entered_money(_("社保缴费基数下限（元/月）"))
    si_base_ceiling = entered_money(_("社保缴费基数上限（元/月）"))
    hf_employee_rate = rate(_("个人公积金比例"))
    hf_employer_rate = rate(_("单位公积金比例"))
    hf_cap_multiple = rate(_("公积金基数上限（社平工资倍数）"))
    base_year_start_month = models.PositiveSmallIntegerField(
        _("缴费年度起始月"), default=7
    )
    source_note = models.CharField(_("依据"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("社保公积金参数")
        verbose_name_plural = _("社保公积金参数")
        ordering = ["-effective_on"]

    def __str__(self) -> str:
        return f"{self.effective_on}"


class TaxTable(UsedTableGuard):
    """A withholding table (预扣率表), dated: the yearly table for cumulative
    withholding, or the monthly table for the year-end one-off bonus."""

    class Kind(models.TextChoices):
        CUMULATIVE = "cumulative", _("综合所得预扣率表（累计预扣）")
        MONTHLY = "monthly", _("按月换算税率表（年终奖）")

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    effective_on = models.DateField(_("生效日期"))
    monthly_standard_deduction = money(_("每月减除费用"), default=0)
    bonus_separate_until = models.DateField(
        _("年终奖单独计税截止日期"), null=True, blank=True
    )
    source_note = models.CharField(_("依据"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("个人所得税税率表")
        verbose_name_plural = _("个人所得税税率表")
        ordering = ["kind", "-effective_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "effective_on"], name="one_tax_table_per_kind_and_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on}"


class TaxBracket(models.Model):
    table = models.ForeignKey(TaxTable, models.CASCADE, related_name="brackets")
    upper = money(_("上限（含）"), null=True, blank=True, help_text=_("空 = 无上限"))
    rate = rate(_("税率"))
    quick_deduction = money(_("速算扣除数"))

    class Meta:
        verbose_name = _("税率级距")
        verbose_name_plural = _("税率级距")
        ordering = ["table", models.F("upper").asc(nulls_last=True)]

    def __str__(self) -> str:
        return f"≤ {self.upper or '∞'}: {self.rate}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.table._refuse_if_used()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self.table._refuse_if_used()
        return super().delete(*args, **kwargs)


class ContributionBase(models.Model):
    """A worker's contribution bases for one social-insurance year (July–June)."""

    class Source(models.TextChoices):
        PROPOSED = "proposed", _("系统按上年工资测算")
        MANUAL = "manual", _("人工核定")
        IMPORT = "import", _("导入")

    worker = models.ForeignKey(
        Worker, models.CASCADE, related_name="contribution_bases"
    )
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"))
    social_insurance_base = entered_money(_("社保缴费基数"))
    housing_fund_base = entered_money(_("公积金缴存基数"))
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    params = models.JSONField(_("测算依据"), default=dict, blank=True)
    created_at = ClockDateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("缴费基数")
        verbose_name_plural = _("缴费基数")
        ordering = ["worker", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "starts_on"], name="one_base_per_worker_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.starts_on:%Y-%m}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("截止日期早于起始日期。")})

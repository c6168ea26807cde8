"""Monthly payroll cycles, payslips and the dated tables they read (DOMAIN A5, A7).

Money is ``DecimalField(14, 2)`` as in the scale tables (see payroll/models.py);
rates are ``DecimalField(7, 4)`` fractions. A locked cycle, its payslips and
their lines never change: services refuse, the admin is read-only, and
``save()``/``delete()`` refuse too.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Community, District, Worker

CYCLE_LOCKED = _(
    "该工资周期已锁定（已发放），任何内容都不能再修改；更正请在下一周期补发或补扣。"
)
TABLE_USED = _("该参数表已被工资核算使用，不能再修改；请新建一个生效日期更晚的版本。")


def money(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def entered_money(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    """Money entered by staff: never negative."""
    return money(verbose_name, validators=[MinValueValidator(0)], **kwargs)


def rate(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(0)],
        **kwargs,
    )


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
            .objects.filter(pk=self.pk)
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
    created_at = models.DateTimeField(auto_now_add=True)

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


class TaxDeclaration(models.Model):
    """专项附加扣除 declared by a worker for a tax year (monthly amounts), and
    the per-worker withholding flags."""

    worker = models.ForeignKey(Worker, models.CASCADE, related_name="tax_declarations")
    year = models.PositiveSmallIntegerField(_("年度"))
    child_education = entered_money(_("子女教育"), default=0)
    infant_care = entered_money(_("3岁以下婴幼儿照护"), default=0)
    elderly_support = entered_money(_("赡养老人"), default=0)
    housing_loan_interest = entered_money(_("住房贷款利息"), default=0)
    housing_rent = entered_money(_("住房租金"), default=0)
    continuing_education = entered_money(_("继续教育"), default=0)
    full_year_deduction_from_january = models.BooleanField(
        _("适用2020年第19号公告（自1月起按6万元扣除）"), default=False
    )
    counts_from_january = models.BooleanField(
        _("年度首次取得工资（减除费用自1月起计算）"), default=False
    )

    class Meta:
        verbose_name = _("个税专项附加扣除")
        verbose_name_plural = _("个税专项附加扣除")
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "year"], name="one_declaration_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.year}"

    def clean(self) -> None:
        if not 2000 <= (self.year or 0) <= 2100:
            raise ValidationError({"year": _("年度无效。")})

    @property
    def monthly_total(self) -> Any:
        return (
            self.child_education
            + self.infant_care
            + self.elderly_support
            + self.housing_loan_interest
            + self.housing_rent
            + self.continuing_education
        )


class YearEndBonus(models.Model):
    """A year-end one-off bonus (全年一次性奖金), paid in a chosen month."""

    worker = models.ForeignKey(Worker, models.CASCADE, related_name="bonuses")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("发放月份"), default=12)
    amount = entered_money(_("金额"))
    merge_into_comprehensive_income = models.BooleanField(
        _("并入综合所得计税"), default=False
    )

    class Meta:
        verbose_name = _("全年一次性奖金")
        verbose_name_plural = _("全年一次性奖金")
        constraints = [
            models.UniqueConstraint(fields=["worker", "year"], name="one_bonus_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.year}"

    def clean(self) -> None:
        if not 1 <= (self.month or 0) <= 12:
            raise ValidationError({"month": _("发放月份应为 1–12。")})


class PayrollCycle(models.Model):
    """One month's payroll for the city or one district."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        COMPUTING = "computing", _("计算中")
        COMPUTED = "computed", _("已计算待审核")
        APPROVED = "approved", _("已审核")
        LOCKED = "locked", _("已锁定（已发放）")
        FAILED = "failed", _("计算失败")
        CANCELLED = "cancelled", _("已作废")

    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    district = models.ForeignKey(
        District,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("区（空 = 全市）"),
    )
    scope_key = models.CharField(_("范围"), max_length=20, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    scale_version = models.ForeignKey(
        "payroll.ScaleVersion",
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("薪酬表"),
    )
    contribution_rates = models.ForeignKey(
        ContributionRates,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("社保公积金参数"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("创建人"),
    )
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("计算人"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("审核人"),
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("锁定人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    computed_at = models.DateTimeField(_("计算完成时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    chunks_total = models.PositiveIntegerField(_("分片数"), default=0)
    chunks_done = models.PositiveIntegerField(_("已完成分片"), default=0)
    excluded_note = models.TextField(_("未纳入说明"), blank=True)
    error = models.TextField(_("错误"), blank=True)
    totals = models.JSONField(_("合计"), default=dict, blank=True)

    class Meta:
        verbose_name = _("工资周期")
        verbose_name_plural = _("工资周期")
        ordering = ["-year", "-month", "scope_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "scope_key"],
                condition=~models.Q(status="cancelled"),
                name="one_live_cycle_per_month_and_scope",
            )
        ]

    def __str__(self) -> str:
        scope = self.district.name if self.district_id else _("全市")
        return f"{self.year}-{self.month:02d} {scope}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.scope_key = f"district:{self.district_id}" if self.district_id else "city"
        if self.pk is not None:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values_list("status", flat=True)
                .first()
            )
            if stored == self.Status.LOCKED:
                raise ValidationError(CYCLE_LOCKED)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.status == self.Status.LOCKED:
            raise ValidationError(CYCLE_LOCKED)
        return super().delete(*args, **kwargs)

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.LOCKED

    @property
    def progress_percent(self) -> int:
        if not self.chunks_total:
            return 100 if self.status in ("computed", "approved", "locked") else 0
        return int(self.chunks_done * 100 / self.chunks_total)


class CycleChunk(models.Model):
    """A slice of a cycle's workers, computed and stored in one transaction."""

    cycle = models.ForeignKey(PayrollCycle, models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    worker_ids = models.JSONField(default=list)
    community_ids = models.JSONField(default=list)
    is_done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    # When its task was last sent and last began; a chunk not done long after
    # either is sent again by the periodic check (cycle_chunks_heal), which
    # counts the retries here so the cycle page can say so.
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    retries = models.PositiveIntegerField(default=0)
    retried_at = models.DateTimeField(null=True, blank=True)
    # The chunk's annuity members, fixed when the cycle starts (A8).
    annuity_members = models.JSONField(default=list, blank=True)
    # [worker id, gross, employer, member] of each annuity member in the
    # chunk, so that finishing checks the plan caps without decoding payslips.
    annuity = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["cycle", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "index"], name="one_chunk_per_index"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle} #{self.index}"


class Payslip(models.Model):
    cycle = models.ForeignKey(PayrollCycle, models.PROTECT, related_name="payslips")
    worker = models.ForeignKey(Worker, models.PROTECT, related_name="payslips")
    community = models.ForeignKey(Community, models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    gross = money(_("应发合计"))
    deductions = money(_("扣款合计"))
    net = money(_("实发金额"))
    employer_cost = money(_("单位缴费合计"))
    income_tax = money(_("个人所得税"), default=0)
    tax_ytd = models.JSONField(_("累计预扣数据"), default=dict)
    # Every line, compactly: [code, kind, amount, rule, version, params], in
    # order. One JSON value per payslip rather than ~15 rows keeps a city's
    # cycle within seconds (ARCHITECTURE: derivations are stored compactly and
    # rendered when shown); ``pay_lines()`` turns them back into PayLines.
    lines = models.JSONField(_("明细"), default=list)

    class Meta:
        verbose_name = _("工资单")
        verbose_name_plural = _("工资单")
        ordering = ["cycle", "community", "worker"]
        constraints = [
            # DOMAIN: a worker is paid once a month, whatever the cycle.
            models.UniqueConstraint(
                fields=["worker", "year", "month"], name="one_payslip_per_worker_month"
            )
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.worker} {self.year}-{self.month:02d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if PayrollCycle.objects.filter(pk=self.cycle_id, status="locked").exists():
            raise ValidationError(CYCLE_LOCKED)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if PayrollCycle.objects.filter(pk=self.cycle_id, status="locked").exists():
            raise ValidationError(CYCLE_LOCKED)
        return super().delete(*args, **kwargs)

    def pay_lines(self) -> tuple[Any, ...]:
        from payroll.rules.lines import PayLine

        return tuple(
            PayLine(
                code=code,
                kind=kind,
                amount=Decimal(amount),
                rule=rule,
                version=version,
                params=params,
            )
            for code, kind, amount, rule, version, params in self.lines
        )

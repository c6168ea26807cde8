"""Monthly payroll cycles, payslips and the dated tables they read (DOMAIN A5, A7).

Money is ``DecimalField(14, 2)`` as in the scale tables (see payroll/models.py),
except the amounts people type (a year-end bonus, the special additional
deductions declared, the opening year-to-date figures): CNY ``MoneyField``s
(``core.money.money_field``) that the fetch and compute modules read through
``core.money.decimal_of``; payslips store Decimals. Rates are ``DecimalField(7, 4)`` fractions. A locked cycle, its payslips and
their lines never change: services refuse, the admin is read-only, and
``save()``/``delete()`` refuse too.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.decimals import sum_amounts
from core.fields import ClockDateTimeField
from core.fields import amount_field as money
from core.fields import entered_amount_field as entered_money
from core.fields import rate_field as rate
from core.models import Community, District, Worker
from core.money import decimal_of
from core.money import money_field as typed_money
from payroll.rules.lines import PayLine, lines_from_rows

CYCLE_LOCKED = _(
    "该工资周期已锁定（已发放），任何内容都不能再修改；更正请在下一周期补发或补扣。"
)
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


class TaxDeclaration(models.Model):
    """专项附加扣除 declared by a worker for a tax year (monthly amounts), and
    the per-worker withholding flags."""

    # Typed here: django-money swaps the class of the default manager at run
    # time (for Money lookups), which the type checker cannot follow.
    objects: ClassVar[models.Manager[TaxDeclaration]] = models.Manager()

    worker = models.ForeignKey(Worker, models.CASCADE, related_name="tax_declarations")
    year = models.PositiveSmallIntegerField(_("年度"))
    child_education = typed_money(_("子女教育"), default=0)
    infant_care = typed_money(_("3岁以下婴幼儿照护"), default=0)
    elderly_support = typed_money(_("赡养老人"), default=0)
    housing_loan_interest = typed_money(_("住房贷款利息"), default=0)
    housing_rent = typed_money(_("住房租金"), default=0)
    continuing_education = typed_money(_("继续教育"), default=0)
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
    def monthly_total(self) -> Decimal:
        """The month's special additional deductions, as the rules take them."""
        return sum_amounts(
            decimal_of(amount)
            for amount in (
                self.child_education,
                self.infant_care,
                self.elderly_support,
                self.housing_loan_interest,
                self.housing_rent,
                self.continuing_education,
            )
        )


class YearEndBonus(models.Model):
    """A year-end one-off bonus (全年一次性奖金), paid in a chosen month."""

    # Typed here: django-money swaps the class of the default manager at run
    # time (for Money lookups), which the type checker cannot follow.
    objects: ClassVar[models.Manager[YearEndBonus]] = models.Manager()

    worker = models.ForeignKey(Worker, models.CASCADE, related_name="bonuses")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("发放月份"), default=12)
    amount = typed_money(_("金额"))
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


class CycleReviewPolicy(models.Model):
    """What the review before approval flags (issue 9), dated: a worker whose
    net pay changed from last month by more than ``net_change_share``."""

    effective_on = models.DateField(_("生效日期"), unique=True)
    net_change_share = rate(_("实发变动提示比例"))
    source_note = models.CharField(_("依据"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("审核前变动提示")
        verbose_name_plural = _("审核前变动提示")
        ordering = ["-effective_on"]

    def __str__(self) -> str:
        return f"{self.effective_on} {self.net_change_share:.0%}"


class CorrectionPolicy(models.Model):
    """How far back corrections of locked months reach (DOMAIN A11), dated.

    A cycle corrects the locked months of its own tax year and, before them,
    ``previous_year_months`` months of the previous year (demo 12: all of
    it). A row, not a constant, because the rule may change.
    """

    effective_on = models.DateField(_("生效日期"), unique=True)
    previous_year_months = models.PositiveSmallIntegerField(
        _("可追溯上一年度的月数"), validators=[MaxValueValidator(12)]
    )
    source_note = models.CharField(_("依据"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("补发补扣追溯期")
        verbose_name_plural = _("补发补扣追溯期")
        ordering = ["-effective_on"]

    def __str__(self) -> str:
        return f"{self.effective_on}"


class OpeningBalance(models.Model):
    """A worker's year-to-date figures from an earlier system (DOMAIN A7), as
    of ``as_of_month`` (the month before the first cycle of ``year``): the
    cumulative income tax and the yearly floor start from them."""

    # Typed here: django-money swaps the class of the default manager at run
    # time (for Money lookups), which the type checker cannot follow.
    objects: ClassVar[models.Manager[OpeningBalance]] = models.Manager()

    worker = models.ForeignKey(Worker, models.CASCADE, related_name="opening_balances")
    year = models.PositiveSmallIntegerField(_("年度"))
    as_of_month = models.PositiveSmallIntegerField(
        _("截至月份"), validators=[MinValueValidator(1), MaxValueValidator(11)]
    )
    gross_income = typed_money(_("累计收入"))
    tax_exempt_income = typed_money(_("累计免税收入"), default=0)
    special_deductions = typed_money(_("累计专项扣除"), default=0)
    special_additional_deductions = typed_money(_("累计专项附加扣除"), default=0)
    other_deductions = typed_money(_("累计其他扣除"), default=0)
    tax_withheld = typed_money(_("累计已预扣税额"), default=0)
    months_employed = models.PositiveSmallIntegerField(
        _("本单位任职受雇月份数"),
        validators=[MinValueValidator(1), MaxValueValidator(11)],
    )
    floor_total = typed_money(_("年度最低薪酬口径累计（应发+单位社保公积金）"))
    created_at = ClockDateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("期初累计数")
        verbose_name_plural = _("期初累计数")
        ordering = ["worker", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "year"], name="one_opening_balance_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.year}-{self.as_of_month:02d}"

    def clean(self) -> None:
        if not 2000 <= (self.year or 0) <= 2100:
            raise ValidationError({"year": _("年度无效。")})
        if (
            self.months_employed
            and self.as_of_month
            and self.months_employed > self.as_of_month
        ):
            raise ValidationError(
                {"months_employed": _("任职受雇月份数不能超过截至月份。")}
            )


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    COMPUTING = "computing", _("计算中")
    COMPUTED = "computed", _("已计算待审核")
    APPROVED = "approved", _("已审核")
    LOCKED = "locked", _("已锁定（已发放）")
    FAILED = "failed", _("计算失败")
    CANCELLED = "cancelled", _("已作废")
    RETURNED = "returned", _("已退回待重算")


class PayrollCycle(models.Model):
    """One month's payroll for the city or one district."""

    Status = CycleStatus

    # Statuses whose payslips are complete: shown, totalled and exported.
    COMPUTED_STATUSES = (Status.COMPUTED, Status.APPROVED, Status.LOCKED)
    # Statuses after approval: the bank file may be made.
    APPROVED_STATUSES = (Status.APPROVED, Status.LOCKED)

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
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("退回人"),
    )
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    created_at = ClockDateTimeField(_("创建时间"), auto_now_add=True)
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
        permissions = [
            ("run_cycle", _("可以核算工资周期（开始、继续、重算、作废）")),
            ("approve_cycle", _("可以审核工资周期")),
            ("lock_cycle", _("可以锁定工资周期（确认发放）")),
        ]
        ordering = ["-year", "-month", "scope_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "scope_key"],
                condition=~models.Q(status=CycleStatus.CANCELLED),
                name="one_live_cycle_per_month_and_scope",
            )
        ]

    def __str__(self) -> str:
        scope = self.district.name if self.district is not None else _("全市")
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
    def is_computed(self) -> bool:
        """Its payslips are complete (computed, approved or locked)."""
        return self.status in self.COMPUTED_STATUSES

    @property
    def is_approved(self) -> bool:
        """Approved or locked: the bank file may be made."""
        return self.status in self.APPROVED_STATUSES

    @property
    def progress_percent(self) -> int:
        if not self.chunks_total:
            return 100 if self.is_computed else 0
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
    # order (``PayLine.to_row``). One JSON value per payslip rather than ~15 rows keeps a city's
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
        # The sums the cycle pages read (totals of a cycle's part, by district,
        # street or community; the months' history and net by district) come
        # from these covering indexes alone, never from the wide rows (lines).
        indexes = [
            models.Index(
                fields=[
                    "year",
                    "month",
                    "community",
                    "cycle",
                    "gross",
                    "net",
                    "employer_cost",
                ],
                name="payslip_month_sums_idx",
            ),
            models.Index(
                fields=[
                    "cycle",
                    "community",
                    "gross",
                    "deductions",
                    "net",
                    "employer_cost",
                ],
                name="payslip_cycle_sums_idx",
            ),
            models.Index(
                fields=[
                    "community",
                    "year",
                    "month",
                    "cycle",
                    "gross",
                    "net",
                    "employer_cost",
                ],
                name="payslip_community_month_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.year}-{self.month:02d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if PayrollCycle.objects.filter(
            pk=self.cycle_id, status=PayrollCycle.Status.LOCKED
        ).exists():
            raise ValidationError(CYCLE_LOCKED)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if PayrollCycle.objects.filter(
            pk=self.cycle_id, status=PayrollCycle.Status.LOCKED
        ).exists():
            raise ValidationError(CYCLE_LOCKED)
        return super().delete(*args, **kwargs)

    def pay_lines(self) -> tuple[PayLine, ...]:
        return lines_from_rows(self.lines)


class BankFileLayout(models.Model):
    """The layout of the salary transfer file (代发工资文件) from a date.

    Banks' 代发 systems differ in column order and where the count and
    control total go, so the layout is a dated row, not code.
    """

    class Column(models.TextChoices):
        ACCOUNT = "account", _("账号")
        NAME = "name", _("姓名")
        AMOUNT = "amount", _("金额")
        ID_NUMBER = "id_number", _("身份证号")
        BANK_NAME = "bank_name", _("开户银行")
        REMARK = "remark", _("用途")

    class ControlRow(models.TextChoices):
        TOP = "top", _("首行（表头之前）")
        BOTTOM = "bottom", _("末行")

    effective_on = models.DateField(_("生效日期"), unique=True)
    name = models.CharField(_("名称"), max_length=60)
    columns = models.CharField(
        _("列（按顺序，逗号分隔）"),
        max_length=120,
        help_text=_("可用：account 账号、name 姓名、amount 金额、id_number 身份证号、"
                    "bank_name 开户银行、remark 用途"),
    )  # fmt: skip
    control_row = models.CharField(
        _("笔数和总金额所在行"),
        max_length=10,
        choices=ControlRow.choices,
        default=ControlRow.BOTTOM,
    )
    remark = models.CharField(
        _("用途文字"), max_length=40, default="%(period)s工资", blank=True
    )
    source_note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("银行代发文件格式")
        verbose_name_plural = _("银行代发文件格式")
        ordering = ["-effective_on"]

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_on}）"

    def column_codes(self) -> list[str]:
        return [c.strip() for c in self.columns.split(",") if c.strip()]

    def clean(self) -> None:
        codes = self.column_codes()
        unknown = [c for c in codes if c not in self.Column.values]
        if unknown:
            raise ValidationError(
                {"columns": _("未知的列：%(codes)s") % {"codes": ", ".join(unknown)}}
            )
        for required in (self.Column.ACCOUNT, self.Column.NAME, self.Column.AMOUNT):
            if required not in codes:
                raise ValidationError(
                    {"columns": _("代发文件必须包含账号、姓名和金额列。")}
                )
        if len(set(codes)) != len(codes):
            raise ValidationError({"columns": _("列不能重复。")})

"""Monthly payroll cycles, their chunks and payslips (DOMAIN A5).

Money is ``DecimalField(14, 2)`` as in the scale tables; payslips store
Decimals. A locked cycle, its payslips and their lines never change: services
refuse, the admin is read-only, and ``save()``/``delete()`` refuse too. The
tables a cycle reads are in ``tables.py``, what people enter for it in
``inputs.py``, the settings of review, corrections and the bank file in
``policies.py``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import ClockDateTimeField
from core.fields import amount_field as money
from core.models import Community, District, Worker
from payroll.models.tables import ContributionRates
from payroll.rules.lines import PayLine, lines_from_rows

CYCLE_LOCKED = _(
    "该工资周期已锁定（已发放），任何内容都不能再修改；更正请在下一周期补发或补扣。"
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

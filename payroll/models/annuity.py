"""The secretaries' enterprise annuity (企业年金, DOMAIN A8): members,
accounts and the ledger. The plans are in ``annuity_plans.py``.

- ``AnnuityMembership``: who is a member, from when to when, following the
  secretary position; changes by hand carry a written reason and every
  change is kept in ``AnnuityMembershipChange``;
- ``AnnuityAccount``: one per member and plan, plus the plan's common
  account (企业账户, ``worker`` empty);
- ``AnnuityEntry``: the append-only ledger. An entry is never changed or
  deleted: ``save()`` refuses an existing row and ``delete()`` always
  refuses; a correction is a reversing entry;
- ``AnnuityBase``: the member's contribution base for a calendar year;
- ``AnnuityReturn``: a plan's yearly investment return, credited as entries.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import clock
from core.fields import amount_field as money
from core.models import Worker, WorkerPosition
from payroll.models.annuity_plans import AnnuityPlan, LeavingReason
from payroll.models.cycles import PayrollCycle, Payslip

ENTRY_FINAL = _("年金账户明细一经记账不能修改或删除；更正请记一笔冲正分录。")


class AnnuityMembership(models.Model):
    """A worker's membership of a plan for a period.

    Normally made by ``annuity_membership_sync`` from a secretary position
    (``position``); ``is_manual`` marks one set or changed by hand, which the
    sync then leaves alone.
    """

    plan = models.ForeignKey(AnnuityPlan, models.PROTECT, related_name="memberships")
    worker = models.ForeignKey(
        Worker, models.PROTECT, related_name="annuity_memberships"
    )
    position = models.OneToOneField(
        WorkerPosition,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="annuity_membership",
        verbose_name=_("书记任职"),
    )
    started_on = models.DateField(_("加入日期"))
    ended_on = models.DateField(_("退出日期"), null=True, blank=True)
    is_manual = models.BooleanField(_("人工调整"), default=False)
    is_excluded = models.BooleanField(_("不参加（例外）"), default=False)
    leaving_reason = models.CharField(
        _("离开原因"), max_length=30, choices=LeavingReason.choices, blank=True
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("企业年金成员")
        verbose_name_plural = _("企业年金成员")
        ordering = ["plan", "worker", "started_on"]

    def __str__(self) -> str:
        return f"{self.worker} {self.started_on}"

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("退出日期早于加入日期。")})


class AnnuityMembershipChange(models.Model):
    """The history of a membership: who changed it, when and why."""

    membership = models.ForeignKey(
        AnnuityMembership, models.PROTECT, related_name="changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), default=clock.now)
    action = models.CharField(_("动作"), max_length=20)
    reason = models.CharField(_("原因"), max_length=300)
    changes = models.JSONField(_("变更"), default=dict)

    class Meta:
        verbose_name = _("年金成员变更记录")
        verbose_name_plural = _("年金成员变更记录")
        ordering = ["membership", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.membership} {self.action} {self.at:%Y-%m-%d}"


class AnnuityAccount(models.Model):
    """A member's individual account (个人账户), or the plan's common account
    (企业账户) when ``worker`` is empty."""

    plan = models.ForeignKey(AnnuityPlan, models.PROTECT, related_name="accounts")
    worker = models.ForeignKey(
        Worker,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="annuity_accounts",
        verbose_name=_("成员"),
    )
    opened_on = models.DateField(_("开户日期"))

    class Meta:
        verbose_name = _("企业年金账户")
        verbose_name_plural = _("企业年金账户")
        permissions = [
            ("manage_annuity", _("可以办理企业年金（离开、冲正、收益导入）")),
        ]
        ordering = ["plan", "worker"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "worker"], name="one_annuity_account_per_member"
            ),
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(worker__isnull=True),
                name="one_common_annuity_account_per_plan",
            ),
        ]

    def __str__(self) -> str:
        return str(self.worker) if self.worker_id else f"{self.plan}（企业账户）"

    @property
    def is_common(self) -> bool:
        return self.worker_id is None


class AnnuityEntryQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise ValidationError(ENTRY_FINAL)

    def delete(self) -> Any:
        raise ValidationError(ENTRY_FINAL)


class AnnuityEntry(models.Model):
    """One dated ledger entry on one part of an account; signed amount."""

    class Part(models.TextChoices):
        EMPLOYER = "employer", _("单位缴费部分")
        MEMBER = "member", _("个人缴费部分")

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("缴费")
        RETURN = "return", _("投资收益")
        FORFEIT = "forfeit", _("未归属转出/转入")
        REVERSAL = "reversal", _("冲正")

    account = models.ForeignKey(AnnuityAccount, models.PROTECT, related_name="entries")
    part = models.CharField(_("部分"), max_length=10, choices=Part.choices)
    kind = models.CharField(_("类型"), max_length=15, choices=Kind.choices)
    booked_on = models.DateField(_("记账日期"))
    amount = money(_("金额"))
    cycle = models.ForeignKey(
        PayrollCycle,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("工资周期"),
    )
    # DO_NOTHING keeps the fast bulk delete of a recomputed cycle's payslips
    # (PROTECT would make Django load every payslip to check it); only locked
    # payslips are referenced, and those are never deleted.
    payslip = models.ForeignKey(
        Payslip, models.DO_NOTHING, null=True, blank=True, related_name="+"
    )
    reverses = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("冲正的分录"),
    )
    annuity_return = models.ForeignKey(
        "payroll.AnnuityReturn",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    note = models.CharField(_("摘要"), max_length=300, blank=True)
    params = models.JSONField(_("依据"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("记账人"),
    )
    created_at = models.DateTimeField(_("记账时间"), default=clock.now)

    objects = AnnuityEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("年金账户明细")
        verbose_name_plural = _("年金账户明细")
        ordering = ["account", "booked_on", "pk"]
        indexes = [models.Index(fields=["account", "booked_on"])]

    def __str__(self) -> str:
        return f"{self.account} {self.booked_on} {self.part} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or (
            self.pk is not None and type(self).objects.filter(pk=self.pk).exists()
        ):
            raise ValidationError(ENTRY_FINAL)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(ENTRY_FINAL)


class AnnuityBase(models.Model):
    """A member's contribution base for a calendar year (DOMAIN A8)."""

    class Source(models.TextChoices):
        PAYSLIPS = "payslips", _("上年度工资单月平均")
        STANDARD_PAY = "standard_pay", _("新成员：首个整月标准工资")
        MANUAL = "manual", _("人工核定")

    plan = models.ForeignKey(AnnuityPlan, models.PROTECT, related_name="bases")
    worker = models.ForeignKey(Worker, models.PROTECT, related_name="annuity_bases")
    year = models.PositiveSmallIntegerField(_("年度"))
    base = money(_("缴费基数（元/月）"), validators=[MinValueValidator(0)])
    source = models.CharField(_("来源"), max_length=15, choices=Source.choices)
    params = models.JSONField(_("测算依据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("年金缴费基数")
        verbose_name_plural = _("年金缴费基数")
        ordering = ["plan", "worker", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "worker", "year"], name="one_annuity_base_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.year}: {self.base}"


class AnnuityReturn(models.Model):
    """A plan's investment return of a year: a rate or an amount."""

    plan = models.ForeignKey(AnnuityPlan, models.PROTECT, related_name="returns")
    year = models.PositiveSmallIntegerField(_("年度"))
    rate = models.DecimalField(
        _("收益率"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    amount = money(_("收益金额"), null=True, blank=True)
    credited = money(_("已记入合计"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("导入时间"), default=clock.now)

    class Meta:
        verbose_name = _("年金投资收益")
        verbose_name_plural = _("年金投资收益")
        ordering = ["plan", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year"], name="one_annuity_return_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.year}"

    def clean(self) -> None:
        if (self.rate is None) == (self.amount is None):
            raise ValidationError(_("收益率和收益金额须填且只填一项。"))
        if not 2000 <= (self.year or 0) <= 2100:
            raise ValidationError({"year": _("年度无效。")})

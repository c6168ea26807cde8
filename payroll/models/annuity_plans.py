"""The annuity's plans (企业年金, DOMAIN A8): ``AnnuityPlan`` and its dated
``AnnuityPlanVersion`` (rates, caps, tax limits, vesting steps, immediate-vesting
events, the 15,000 yuan target), editable until a payroll cycle has used
them; the legal caps and the vesting steps; why a member leaves.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import amount_field as money
from core.fields import rate_field as rate
from payroll.models.tables import UsedTableGuard
from payroll.rules import annuity as rules

RATES_BREAK_CAPS = _(
    "单位缴费比例 %(employer)s 超过上限 %(employer_cap)s，"
    "或单位与个人合计 %(total)s 超过上限 %(total_cap)s（《企业年金办法》）。"
)


class AnnuityPlan(models.Model):
    """An annuity plan (年金计划); its terms are dated versions."""

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("企业年金计划")
        verbose_name_plural = _("企业年金计划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class LeavingReason(models.TextChoices):
    """Why a member leaves; the first five vest the employer part at once."""

    RETIREMENT = rules.VestingEvent.RETIREMENT, _("退休")
    DEATH = rules.VestingEvent.DEATH, _("死亡")
    TOTAL_INCAPACITY = rules.VestingEvent.TOTAL_INCAPACITY, _("完全丧失劳动能力")
    LEFT_WITHOUT_OWN_FAULT = (
        rules.VestingEvent.LEFT_WITHOUT_OWN_FAULT,
        _("非本人过错解除或终止劳动关系"),
    )
    PLAN_TERMINATION = rules.VestingEvent.PLAN_TERMINATION, _("年金方案终止")
    RESIGNED = "resigned", _("本人辞职")
    DISMISSED = "dismissed", _("因本人过错被解除")


class AnnuityPlanVersion(UsedTableGuard):
    """The plan's terms from a date (DOMAIN A8 demo values in the defaults)."""

    class BaseRule(models.TextChoices):
        PREVIOUS_YEAR_AVERAGE = (
            "previous_year_average",
            _("上年度月平均工资（新成员按首个整月标准工资）"),
        )

    plan = models.ForeignKey(AnnuityPlan, models.PROTECT, related_name="versions")
    effective_on = models.DateField(_("生效日期"))
    employer_rate = rate(_("单位缴费比例"))
    member_rate = rate(_("个人缴费比例"))
    employer_cap_rate = rate(_("单位缴费上限（占成员工资总额）"), default="0.08")
    total_cap_rate = rate(_("单位和个人合计上限（占成员工资总额）"), default="0.12")
    max_credit_ratio = rate(_("单位缴费分配上限（平均额的倍数）"), default="5")
    base_rule = models.CharField(
        _("缴费基数规则"),
        max_length=30,
        choices=BaseRule.choices,
        default=BaseRule.PREVIOUS_YEAR_AVERAGE,
    )
    deductible_rate = rate(_("个人缴费税前扣除比例"), default="0.04")
    base_cap_multiple = rate(_("计税基数上限（城市上年月平均工资倍数）"), default="3")
    immediate_vesting_events = models.JSONField(
        _("立即全部归属的情形"),
        default=list,
        blank=True,
        help_text=_("法定情形总是包含在内。"),
    )
    target_yearly_base = money(_("政策目标：人均年缴费基数（元）"), default=15000)
    source_note = models.CharField(_("依据"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("企业年金方案版本")
        verbose_name_plural = _("企业年金方案版本")
        ordering = ["plan", "-effective_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "effective_on"], name="one_annuity_version_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.effective_on}"

    def clean(self) -> None:
        rates = (
            self.employer_rate,
            self.member_rate,
            self.employer_cap_rate,
            self.total_cap_rate,
        )
        if None in rates:
            return
        if (
            self.employer_rate > self.employer_cap_rate
            or self.employer_rate + self.member_rate > self.total_cap_rate
        ):
            raise ValidationError(
                RATES_BREAK_CAPS
                % {
                    "employer": self.employer_rate,
                    "employer_cap": self.employer_cap_rate,
                    "total": self.employer_rate + self.member_rate,
                    "total_cap": self.total_cap_rate,
                }
            )
        events = set(self.immediate_vesting_events or [])
        unknown = events - set(LeavingReason.values)
        if unknown:
            raise ValidationError(
                {
                    "immediate_vesting_events": _("未知情形：%(e)s")
                    % {"e": "、".join(sorted(unknown))}
                }
            )

    def terms(self, steps: list[tuple[int, Decimal]] | None = None) -> Any:
        """The plan terms as the pure rules' ``AnnuityPlanTerms``."""
        if steps is None:
            steps = [(s.years, s.fraction) for s in self.vesting_steps.all()]
        return rules.AnnuityPlanTerms(
            employer_rate=self.employer_rate,
            member_rate=self.member_rate,
            employer_cap_rate=self.employer_cap_rate,
            total_cap_rate=self.total_cap_rate,
            max_credit_ratio=self.max_credit_ratio,
            vesting_schedule=tuple(sorted(steps)),
            immediate_vesting_events=rules.STATUTORY_VESTING_EVENTS
            | frozenset(self.immediate_vesting_events or []),
            version=f"annuity:{self.effective_on}",
        )


class AnnuityLegalCaps(models.Model):
    """The caps of national law over every plan (《企业年金办法》, DOMAIN A8),
    a dated table of their own: no plan version can raise them."""

    effective_on = models.DateField(_("生效日期"), unique=True)
    employer_rate = rate(_("单位缴费法定上限（占工资总额）"))
    total_rate = rate(_("单位和个人缴费合计法定上限（占工资总额）"))
    max_credit_ratio = rate(_("单位缴费分配至个人的法定倍数上限"))
    source_note = models.CharField(_("依据"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("企业年金法定上限")
        verbose_name_plural = _("企业年金法定上限")
        ordering = ["-effective_on"]

    def __str__(self) -> str:
        return f"{self.effective_on}"

    def caps(self) -> rules.LegalCaps:
        return rules.LegalCaps(
            employer_rate=self.employer_rate,
            total_rate=self.total_rate,
            max_credit_ratio=self.max_credit_ratio,
            version=f"legal:{self.effective_on}",
        )


class AnnuityVestingStep(models.Model):
    """After ``years`` full years of membership, ``fraction`` of the employer
    part is vested (demo: 1 → 12.5%, … 8 → 100%)."""

    version = models.ForeignKey(
        AnnuityPlanVersion, models.CASCADE, related_name="vesting_steps"
    )
    years = models.PositiveSmallIntegerField(_("满年数"))
    fraction = rate(_("归属比例"))

    class Meta:
        verbose_name = _("归属进度")
        verbose_name_plural = _("归属进度")
        ordering = ["version", "years"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "years"], name="one_vesting_step_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.years}: {self.fraction}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.version._refuse_if_used()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self.version._refuse_if_used()
        return super().delete(*args, **kwargs)

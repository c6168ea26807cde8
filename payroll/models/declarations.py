"""Workers' declarations of special additional deductions (专项附加扣除) and
the dated standard amounts they are measured against (DOMAIN A7, Part B 7.3).

A worker declares each item for a tax year; payroll staff approve it or
return it with a reason. Approved items of a year are summed, by category,
into the worker's ``TaxDeclaration``, which the cumulative tax of every
following cycle reads (from January: the cumulative method catches up).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core.fields import entered_amount_field as entered_money
from core.fields import rate_field as rate
from core.models import Worker
from payroll.rules import deductions as rules

# The labels of the shipped standards (fixtures/payroll_deduction_standards.json),
# in the message catalogue so that ``display_label`` reads them in the reader's
# language; a label staff type in the admin is shown as typed.
SHIPPED_LABELS = (
    gettext_noop("子女教育（每个子女）"),
    gettext_noop("3岁以下婴幼儿照护（每个子女）"),
    gettext_noop("赡养老人（独生子女）"),
    gettext_noop("赡养老人（非独生子女，分摊）"),
    gettext_noop("住房贷款利息（首套）"),
    gettext_noop("住房租金（直辖市、省会、计划单列市等）"),
    gettext_noop("住房租金（市辖区户籍人口超过 100 万的城市，如无锡）"),
    gettext_noop("住房租金（其他城市）"),
    gettext_noop("继续教育（学历、学位，最长 48 个月）"),
)


class DeductionCategory(models.TextChoices):
    CHILD_EDUCATION = rules.CHILD_EDUCATION, _("子女教育")
    INFANT_CARE = rules.INFANT_CARE, _("3岁以下婴幼儿照护")
    ELDERLY_SUPPORT = rules.ELDERLY_SUPPORT, _("赡养老人")
    HOUSING_LOAN_INTEREST = rules.HOUSING_LOAN_INTEREST, _("住房贷款利息")
    HOUSING_RENT = rules.HOUSING_RENT, _("住房租金")
    CONTINUING_EDUCATION = rules.CONTINUING_EDUCATION, _("继续教育（学历）")


class DeductionStandard(models.Model):
    """The standard monthly amount of one kind of deduction, dated: e.g.
    子女教育 2,000 per child from 2023-01-01; 住房租金 by city tier."""

    effective_on = models.DateField(_("生效日期"))
    category = models.CharField(
        _("扣除项目"), max_length=30, choices=DeductionCategory.choices
    )
    variant = models.CharField(
        _("情形"),
        max_length=30,
        blank=True,
        help_text=_("同一项目的不同情形，如“独生子女”“非独生子女”“二线城市”。"),
    )
    label = models.CharField(_("情形说明"), max_length=60, blank=True)
    monthly_amount = entered_money(_("每月标准（元）"))
    per_child = models.BooleanField(_("按子女人数计算"), default=False)
    cap = entered_money(
        _("本人每月上限（元）"),
        null=True,
        blank=True,
        help_text=_("分摊时本人每月最多可扣除的金额；空 = 不超过标准。"),
    )
    source_note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("专项附加扣除标准")
        verbose_name_plural = _("专项附加扣除标准")
        ordering = ["category", "variant", "-effective_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["effective_on", "category", "variant"],
                name="one_deduction_standard_per_date_and_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_label} {self.monthly_amount} ({self.effective_on})"

    @property
    def display_label(self) -> str:
        """The case's label in the reader's language (shipped labels are in
        the catalogue), else the category's name."""
        return gettext(self.label) if self.label else str(self.get_category_display())


class DeductionClaim(models.Model):
    """One item of a worker's declaration for a tax year, and its review."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已通过")
        RETURNED = "returned", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")

    worker = models.ForeignKey(
        Worker, models.CASCADE, related_name="deduction_claims", verbose_name=_("人员")
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2019), MaxValueValidator(2100)]
    )
    standard = models.ForeignKey(
        DeductionStandard, models.PROTECT, related_name="+", verbose_name=_("标准")
    )
    category = models.CharField(
        _("扣除项目"), max_length=30, choices=DeductionCategory.choices
    )
    children = models.PositiveSmallIntegerField(_("子女人数"), default=1)
    share = rate(_("本人扣除比例"), default=1)
    monthly_amount = entered_money(_("每月扣除（元）"))
    details = models.JSONField(_("申报信息"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("申报人"),
    )
    submitted_at = models.DateTimeField(_("申报时间"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("专项附加扣除申报")
        verbose_name_plural = _("专项附加扣除申报")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["worker", "year", "status"])]

    def __str__(self) -> str:
        return f"{self.worker} {self.year} {self.get_category_display()}"

    def clean(self) -> None:
        if self.standard_id and self.category != self.standard.category:
            raise ValidationError({"category": _("扣除项目与标准不一致。")})

    @property
    def detail_rows(self) -> list[tuple[Any, Any]]:
        return [(DETAIL_LABELS.get(k, k), v) for k, v in self.details.items() if v]


DETAIL_LABELS = {
    "name": _("子女 / 老人姓名"),
    "id_tail": _("证件号后四位"),
    "school": _("就读学校 / 教育机构"),
    "address": _("住房地址"),
    "city": _("工作城市"),
    "contract": _("合同编号"),
    "note": _("其他说明"),
}

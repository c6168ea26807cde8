"""What people enter for a worker's pay and tax: the yearly tax declaration,
a year-end bonus, the opening year-to-date figures (DOMAIN A7).

The amounts people type are CNY ``MoneyField``s (``core.money.money_field``)
that the fetch and compute modules read through ``core.money.decimal_of``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.decimals import sum_amounts
from core.fields import ClockDateTimeField
from core.models import Worker
from core.money import decimal_of
from core.money import money_field as typed_money


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

"""The settings a cycle follows: who reviews it, how corrections are made, and
the layout of the bank file.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import rate_field as rate


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

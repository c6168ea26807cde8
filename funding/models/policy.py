"""The fund's dated policy and its reference lists: categories, forbidden
uses, expense classes.
"""

from __future__ import annotations

from datetime import date

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import entered_amount_field as plain_money
from funding import rules


class FundPolicy(models.Model):
    """The figures of DOMAIN A9 as a dated row: the newest in force applies."""

    effective_on = models.DateField(_("生效日期"), unique=True)
    minimum_allocation = plain_money(_("每年最低拨款（元）"))
    district_approval_threshold = plain_money(_("需区级审批的项目金额（超过，元）"))
    notice_days = models.PositiveSmallIntegerField(
        _("公示天数"), validators=[MinValueValidator(1)]
    )
    carry_over_allowed = models.BooleanField(_("年末结余结转下年"), default=True)
    max_receipt_bytes = models.PositiveIntegerField(
        _("票据文件最大字节数"), default=5 * 1024 * 1024
    )
    allowed_receipt_types = models.CharField(
        _("允许的票据类型"),
        max_length=60,
        default="pdf,jpg,png",
        help_text=_("用逗号分隔，如 pdf,jpg,png"),
    )
    source_note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("资金政策参数")
        verbose_name_plural = pgettext_lazy("plural", "资金政策参数")
        ordering = ["-effective_on"]

    def __str__(self) -> str:
        return f"{self.effective_on}"

    def as_rule(self) -> rules.Policy:
        return rules.Policy(
            minimum_allocation=self.minimum_allocation,
            district_approval_threshold=self.district_approval_threshold,
            notice_days=self.notice_days,
            carry_over_allowed=self.carry_over_allowed,
            max_receipt_bytes=self.max_receipt_bytes,
            allowed_receipt_types=tuple(
                t.strip().lower()
                for t in self.allowed_receipt_types.split(",")
                if t.strip()
            ),
        )


class Category(models.Model):
    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("项目类别")
        verbose_name_plural = pgettext_lazy("plural", "项目类别")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ForbiddenUse(models.Model):
    """A use the fund may never pay for (DOMAIN A9, B6.3)."""

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    keywords = models.CharField(
        _("关键词"), max_length=300, help_text=_("用顿号或逗号分隔")
    )
    source_note = models.CharField(_("依据"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("禁止用途")
        verbose_name_plural = pgettext_lazy("plural", "禁止用途")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def as_rule(self) -> rules.ForbiddenUse:
        words = self.keywords
        for separator in ("，", "、", ";", "；"):
            words = words.replace(separator, ",")
        return rules.ForbiddenUse(
            code=self.code,
            name=self.name,
            keywords=tuple(w.strip() for w in words.split(",") if w.strip()),
        )


class ExpenseClass(models.Model):
    """An economic classification of spending, allowed or forbidden (A9).

    Every expense names one; a forbidden one is refused with its rule. The
    list is dated: a row applies to expenses paid from ``effective_on`` until
    the day before ``ends_on``.
    """

    code = models.CharField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    is_allowed = models.BooleanField(_("允许使用专项资金"), default=True)
    rule = models.CharField(_("依据的规定"), max_length=200)
    effective_on = models.DateField(_("生效日期"))
    ends_on = models.DateField(_("停用日期"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("支出经济分类")
        verbose_name_plural = pgettext_lazy("plural", "支出经济分类")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def applies_on(self, day: date) -> bool:
        return self.effective_on <= day and (self.ends_on is None or day < self.ends_on)

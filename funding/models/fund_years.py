"""A community's fund year: its allocation, sources and carry-over."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import entered_amount_field as plain_money
from core.models import Community
from core.money import money_field


class FundYear(models.Model):
    # Typed here: django-money swaps the class of the default manager at run
    # time (for Money lookups), which the type checker cannot follow.
    objects: ClassVar[models.Manager[FundYear]] = models.Manager()

    class Status(models.TextChoices):
        OPEN = "open", _("执行中")
        CLOSED = "closed", _("已结账")

    community = models.ForeignKey(
        Community, models.PROTECT, related_name="fund_years", verbose_name=_("社区")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    allocation = money_field(_("年度拨款"))
    city_share = money_field(_("市级承担"), default=Decimal("0"))
    district_share = money_field(_("区级承担"), default=Decimal("0"))
    street_share = money_field(_("街道承担"), default=Decimal("0"))
    carried_in = plain_money(_("上年结转"), default=Decimal("0"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closed_at = models.DateTimeField(_("结账时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("结账人"),
    )
    carried_out = plain_money(_("结转下年"), default=Decimal("0"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("资金年度")
        verbose_name_plural = pgettext_lazy("plural", "资金年度")
        ordering = ["-year", "community__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year"], name="one_fund_year_per_community"
            )
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.year}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

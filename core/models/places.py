"""The organisation tree (city, district, street, community), the centre's
dated standard, and the posts a worker can hold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core import rules
from core.fields import ClockDateTimeField

if TYPE_CHECKING:
    pass


class TimeStampedModel(models.Model):
    created_at = ClockDateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class City(models.Model):
    code = models.CharField(_("代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("市")
        verbose_name_plural = _("市")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    city = models.ForeignKey(City, models.PROTECT, related_name="districts")
    code = models.CharField(_("代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("区（市）")
        verbose_name_plural = _("区（市）")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Street(models.Model):
    district = models.ForeignKey(
        District, models.PROTECT, related_name="streets", verbose_name=_("区")
    )
    code = models.CharField(_("代码"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("街道（镇）")
        verbose_name_plural = _("街道（镇）")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    street = models.ForeignKey(
        Street, models.PROTECT, related_name="communities", verbose_name=_("街道")
    )
    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    households = models.PositiveIntegerField(_("户数"), default=0)
    centre_area = models.DecimalField(
        _("党群服务中心面积（m²）"), max_digits=9, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("社区")
        verbose_name_plural = _("社区")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CentreStandard(models.Model):
    """DOMAIN A10 as dated data: the area a service centre must have."""

    effective_on = models.DateField(_("生效日期"), unique=True)
    area_per_100_households = models.DecimalField(
        _("每百户面积（m²）"), max_digits=7, decimal_places=2
    )
    minimum_total_area = models.DecimalField(
        _("最低总面积（m²）"), max_digits=9, decimal_places=2
    )
    source_note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("党群服务中心面积标准")
        verbose_name_plural = _("党群服务中心面积标准")
        ordering = ["-effective_on"]

    def __str__(self) -> str:
        return f"{self.effective_on}: {self.area_per_100_households} m²/100户"

    def as_rule(self) -> rules.CentreStandard:
        return rules.CentreStandard(
            area_per_100_households=self.area_per_100_households,
            minimum_total_area=self.minimum_total_area,
        )


# The shipped posts' names, listed so the English catalogue names them too; a
# post a city adds is shown as entered.
SHIPPED_POST_NAMES = (
    gettext_noop("社区正职"),
    gettext_noop("社区副职"),
    gettext_noop("其他工作人员"),
)


class Post(models.Model):
    """A post of 三岗十八级 with its level range; a row, not code."""

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    lowest_level = models.PositiveSmallIntegerField(
        _("最低等级"), validators=[MinValueValidator(1)]
    )
    highest_level = models.PositiveSmallIntegerField(
        _("最高等级"), validators=[MinValueValidator(1)]
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(highest_level__gte=models.F("lowest_level")),
                name="post_level_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the page's language (shipped posts are translated)."""
        return gettext(self.name)

"""A worker's level history (DOMAIN A2, A3): placement, progression, ...."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import ClockDateTimeField
from core.models import Post, Worker
from payroll.models.scales import ScaleVersion


class LevelChange(models.Model):
    """One step of a worker's level history: placement, progression, ..."""

    class Reason(models.TextChoices):
        PLACEMENT = "placement", _("定级")
        PROGRESSION = "progression", _("正常晋级")
        EARLY_PROMOTION = "early_promotion", _("提前晋级")
        CHANGE_OF_POST = "change_of_post", _("岗位变动")
        OVERRIDE = "override", _("人工调整")
        IMPORT = "import", _("导入")

    worker = models.ForeignKey(
        Worker, models.CASCADE, related_name="level_changes", verbose_name=_("人员")
    )
    effective_on = models.DateField(_("生效日期"))
    old_level = models.PositiveSmallIntegerField(_("原等级"), null=True, blank=True)
    new_level = models.PositiveSmallIntegerField(_("新等级"))
    computed_level = models.PositiveSmallIntegerField(
        _("按规则计算的等级"), null=True, blank=True
    )
    old_post = models.ForeignKey(
        Post,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("原岗位"),
    )
    post = models.ForeignKey(
        Post, models.PROTECT, related_name="+", verbose_name=_("岗位")
    )
    reason = models.CharField(_("原因"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    params = models.JSONField(_("计算依据"), default=dict, blank=True)
    scale_version = models.ForeignKey(
        ScaleVersion,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("薪酬表版本"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    created_at = ClockDateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("等级变动")
        verbose_name_plural = _("等级变动")
        ordering = ["worker", "effective_on", "id"]
        indexes = [models.Index(fields=["worker", "effective_on"])]

    def __str__(self) -> str:
        return (
            f"{self.worker} {self.effective_on} {self.old_level}→{self.new_level}"
            f" ({self.get_reason_display()})"
        )

"""Pay-scale versions (DOMAIN A2–A6 figures), the base of their dated rows,
and the cost of an indexation.

Money in these tables is ``DecimalField(max_digits=14, decimal_places=2)``
named for what it holds (``standard_pay``, ``amount``), not ``MoneyField``: the
tables are reference data read only by the pure rules, which see ``Decimal``,
and a currency column would add nothing to a one-currency scheme nor to its
xlsx import. Rates and coefficients are ``DecimalField(7, 4)`` fractions
(0.7000 = 70%).

A version that a payroll has used never changes: services refuse it, the admin
shows it read-only, and ``save()``/``delete()`` of the version and of its rows
refuse it too (bulk ``QuerySet.update()`` bypasses model methods and is not
used on these tables). The rows themselves are in ``scale_tables.py``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import ClockDateTimeField

SCALE_VERSION_USED = _("该薪酬表版本已被工资核算使用，不能再修改或删除。")


class ScaleVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ADOPTED = "adopted", _("已启用")

    code = models.CharField(_("版本号"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    effective_on = models.DateField(_("生效日期"))
    source_note = models.CharField(_("依据"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("复制自"),
    )
    adopted_at = models.DateTimeField(_("启用时间"), null=True, blank=True)
    used_at = models.DateTimeField(
        _("首次用于核算时间"), null=True, blank=True, editable=False
    )
    created_at = ClockDateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("薪酬表版本")
        verbose_name_plural = _("薪酬表版本")
        ordering = ["-effective_on", "-code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if (
            self.pk
            and ScaleVersion.objects.filter(pk=self.pk, used_at__isnull=False).exists()
        ):
            raise ValidationError(SCALE_VERSION_USED)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_used:
            raise ValidationError(SCALE_VERSION_USED)
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        if self.effective_on and self.effective_on.day != 1:
            # A version applies to whole months, so a payslip has one table.
            raise ValidationError({"effective_on": _("生效日期须为某月1日。")})

    @property
    def is_used(self) -> bool:
        return self.used_at is not None


class ScaleRow(models.Model):
    """A row of a version's table; frozen once the version is used."""

    source_note = models.CharField(_("依据"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._refuse_if_used()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse_if_used()
        return super().delete(*args, **kwargs)

    def _refuse_if_used(self) -> None:
        if ScaleVersion.objects.filter(
            pk=self.version_id,  # type: ignore[attr-defined]
            used_at__isnull=False,
        ).exists():
            raise ValidationError(SCALE_VERSION_USED)


class IndexationCost(models.Model):
    """The yearly cost of the workforce under an old and a new pay table (A6).

    Computed once per pair of tables, day and workforce (``fingerprint``) for
    the whole city, district by district in the background, and kept until the
    tables or the workforce change; the preview page reads it.
    """

    class Status(models.TextChoices):
        COMPUTING = "computing", _("测算中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    old_version = models.ForeignKey(
        ScaleVersion, models.CASCADE, related_name="+", verbose_name=_("原薪酬表")
    )
    new_version = models.ForeignKey(
        ScaleVersion, models.CASCADE, related_name="+", verbose_name=_("新薪酬表")
    )
    on = models.DateField(_("测算日期"))
    fingerprint = models.CharField(_("数据指纹"), max_length=64)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.COMPUTING
    )
    districts_total = models.PositiveIntegerField(_("区数"), default=0)
    districts_done = models.PositiveIntegerField(_("已测算区数"), default=0)
    # One row per district: [code, name, workers, old yearly cost, new yearly cost]
    # with the amounts as strings (exact decimals in JSON).
    rows = models.JSONField(_("测算结果"), default=list)
    error = models.TextField(_("错误"), blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("自然增长成本测算")
        verbose_name_plural = _("自然增长成本测算")
        constraints = [
            models.UniqueConstraint(
                fields=["old_version", "new_version", "fingerprint"],
                name="one_indexation_cost_per_tables_and_workforce",
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_version_id} -> {self.new_version_id} ({self.on})"

    @property
    def percent_done(self) -> int:
        if not self.districts_total:
            return 0
        return self.districts_done * 100 // self.districts_total

"""Pay-scale versions (DOMAIN A2–A6 figures) and their dated rows.

Money in these tables is ``DecimalField(max_digits=14, decimal_places=2)``
named for what it holds (``standard_pay``, ``amount``), not ``MoneyField``: the
tables are reference data read only by the pure rules, which see ``Decimal``,
and a currency column would add nothing to a one-currency scheme nor to its
xlsx import. Rates and coefficients are ``DecimalField(7, 4)`` fractions
(0.7000 = 70%).

A version that a payroll has used never changes: services refuse it, the admin
shows it read-only, and ``save()``/``delete()`` of the version and of its rows
refuse it too (bulk ``QuerySet.update()`` bypasses model methods and is not
used on these tables).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import ClockDateTimeField
from core.models import CertificateKind, Education, Post
from ratings.models import Grade

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


class ScaleLevelPay(ScaleRow):
    """S(n): the standard monthly pay of level n (DOMAIN A4)."""

    version = models.ForeignKey(
        ScaleVersion, models.CASCADE, related_name="level_pays", verbose_name=_("版本")
    )
    level = models.PositiveSmallIntegerField(
        _("等级"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    standard_pay = models.DecimalField(
        _("标准工资（元/月）"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("等级标准工资")
        verbose_name_plural = _("等级标准工资")
        ordering = ["version", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "level"], name="scale_level_pay_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version.code} L{self.level}: {self.standard_pay}"


class ScalePostAllowance(ScaleRow):
    version = models.ForeignKey(
        ScaleVersion,
        models.CASCADE,
        related_name="post_allowances",
        verbose_name=_("版本"),
    )
    post = models.ForeignKey(Post, models.PROTECT, verbose_name=_("岗位"))
    amount = models.DecimalField(
        _("岗位津贴（元/月）"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("岗位津贴")
        verbose_name_plural = _("岗位津贴")
        ordering = ["version", "post__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "post"], name="scale_post_allowance_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version.code} {self.post}: {self.amount}"


class ScaleGradeCoefficient(ScaleRow):
    version = models.ForeignKey(
        ScaleVersion,
        models.CASCADE,
        related_name="grade_coefficients",
        verbose_name=_("版本"),
    )
    grade = models.CharField(_("考核结果"), max_length=12, choices=Grade.choices)
    coefficient = models.DecimalField(
        _("绩效系数"),
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("考核绩效系数")
        verbose_name_plural = _("考核绩效系数")
        ordering = ["version", "-coefficient"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "grade"], name="scale_grade_coefficient_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version.code} {self.get_grade_display()}: {self.coefficient}"


class ScaleStarAllowance(ScaleRow):
    version = models.ForeignKey(
        ScaleVersion,
        models.CASCADE,
        related_name="star_allowances",
        verbose_name=_("版本"),
    )
    stars = models.PositiveSmallIntegerField(
        _("星级"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    amount = models.DecimalField(
        _("星级津贴（元/月）"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("星级津贴")
        verbose_name_plural = _("星级津贴")
        ordering = ["version", "stars"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "stars"], name="scale_star_allowance_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version.code} {self.stars}★: {self.amount}"


class ScaleEducationYears(ScaleRow):
    version = models.ForeignKey(
        ScaleVersion,
        models.CASCADE,
        related_name="education_years",
        verbose_name=_("版本"),
    )
    education = models.CharField(
        _("学历学位"), max_length=20, choices=Education.choices
    )
    years = models.PositiveSmallIntegerField(_("折算工作年限"))

    class Meta:
        verbose_name = _("学历折算年限")
        verbose_name_plural = _("学历折算年限")
        ordering = ["version", "years"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "education"], name="scale_education_years_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version.code} {self.get_education_display()}: {self.years}"


class ScaleCertificateLevels(ScaleRow):
    version = models.ForeignKey(
        ScaleVersion,
        models.CASCADE,
        related_name="certificate_levels",
        verbose_name=_("版本"),
    )
    kind = models.CharField(_("证书"), max_length=20, choices=CertificateKind.choices)
    levels = models.PositiveSmallIntegerField(_("加级数"))

    class Meta:
        verbose_name = _("证书加级")
        verbose_name_plural = _("证书加级")
        ordering = ["version", "levels"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind"], name="scale_certificate_levels_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version.code} {self.get_kind_display()}: +{self.levels}"


class ParameterCode(models.TextChoices):
    BASIC_RATIO = "basic_ratio", _("基本工资比例")
    PERFORMANCE_RATIO = "performance_ratio", _("绩效工资比例")
    ONE_SHOULDER_SUPPLEMENT = "one_shoulder_supplement", _("一肩挑补贴（元/月）")
    MINIMUM_WAGE = "minimum_wage", _("最低工资标准（元/月）")
    CITY_AVERAGE_WAGE = "city_average_wage", _("上年度城镇非私营单位平均工资（元/年）")
    GROWTH_RATE = "growth_rate", _("平均工资增长率")
    FLOOR_PRINCIPAL_RATIO = "floor_principal_ratio", _("正职年度保障比例")
    FLOOR_OTHER_RATIO = "floor_other_ratio", _("其他人员年度保障比例")
    YEARS_PER_LEVEL = "years_per_level", _("每晋一级所需年限")
    EARLY_PROMOTION_STREAK = "early_promotion_streak", _("提前晋级所需连续优秀年数")
    MAX_EARLY_PROMOTIONS = "max_early_promotions", _("提前晋级最多次数")
    STAR_VALIDITY_YEARS = "star_validity_years", _("星级有效年限")


# Which column of ScaleParameter holds each parameter.
PARAMETER_KINDS: dict[str, str] = {
    ParameterCode.BASIC_RATIO: "rate",
    ParameterCode.PERFORMANCE_RATIO: "rate",
    ParameterCode.GROWTH_RATE: "rate",
    ParameterCode.FLOOR_PRINCIPAL_RATIO: "rate",
    ParameterCode.FLOOR_OTHER_RATIO: "rate",
    ParameterCode.ONE_SHOULDER_SUPPLEMENT: "amount",
    ParameterCode.MINIMUM_WAGE: "amount",
    ParameterCode.CITY_AVERAGE_WAGE: "amount",
    ParameterCode.YEARS_PER_LEVEL: "count",
    ParameterCode.EARLY_PROMOTION_STREAK: "count",
    ParameterCode.MAX_EARLY_PROMOTIONS: "count",
    ParameterCode.STAR_VALIDITY_YEARS: "count",
}


class ScaleParameter(ScaleRow):
    """A single figure of a version: a rate, an amount or a count, with the
    year of the statistic it quotes (e.g. the 2025 city average wage)."""

    version = models.ForeignKey(
        ScaleVersion, models.CASCADE, related_name="parameters", verbose_name=_("版本")
    )
    code = models.CharField(_("参数"), max_length=30, choices=ParameterCode.choices)
    rate = models.DecimalField(
        _("比率"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    amount = models.DecimalField(
        _("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    count = models.PositiveSmallIntegerField(_("数值"), null=True, blank=True)
    reference_year = models.PositiveSmallIntegerField(
        _("统计年度"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("薪酬参数")
        verbose_name_plural = _("薪酬参数")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="scale_parameter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version.code} {self.get_code_display()}: {self.value}"

    def clean(self) -> None:
        kind = PARAMETER_KINDS.get(self.code)
        if kind is None:
            return
        for column in ("rate", "amount", "count"):
            value = getattr(self, column)
            if column == kind and value is None:
                raise ValidationError({column: _("该参数须填写此列。")})
            if column != kind and value is not None:
                raise ValidationError({column: _("该参数不使用此列。")})
        if kind in ("rate", "amount") and getattr(self, kind) < 0:
            raise ValidationError({kind: _("不能为负数。")})

    @property
    def value(self) -> Any:
        return getattr(self, PARAMETER_KINDS.get(self.code, "rate"))


@dataclass(frozen=True)
class ScaleTable:
    """One table of a scale version, declared once: its model, the key of its
    rows on the version (``related_name``, also the URL key), the title of its
    sheet and the columns of that sheet (model field, header). The xlsx
    resources, the admin inlines, the copy of a version and the permissions
    are all made from ``SCALE_TABLES``."""

    key: str
    model: type[ScaleRow]
    title: Any
    columns: tuple[tuple[str, str], ...]

    @property
    def id_fields(self) -> tuple[str, str]:
        """A row is identified by its version and its first column."""
        return ("version", self.columns[0][0])


SCALE_TABLES: tuple[ScaleTable, ...] = (
    ScaleTable(
        "level_pays",
        ScaleLevelPay,
        _("等级标准工资"),
        (("level", "等级"), ("standard_pay", "标准工资")),
    ),
    ScaleTable(
        "post_allowances",
        ScalePostAllowance,
        _("岗位津贴"),
        (("post", "岗位代码"), ("amount", "岗位津贴")),
    ),
    ScaleTable(
        "grade_coefficients",
        ScaleGradeCoefficient,
        _("考核绩效系数"),
        (("grade", "考核结果"), ("coefficient", "绩效系数")),
    ),
    ScaleTable(
        "star_allowances",
        ScaleStarAllowance,
        _("星级津贴"),
        (("stars", "星级"), ("amount", "星级津贴")),
    ),
    ScaleTable(
        "education_years",
        ScaleEducationYears,
        _("学历折算年限"),
        (("education", "学历学位"), ("years", "折算年限")),
    ),
    ScaleTable(
        "certificate_levels",
        ScaleCertificateLevels,
        _("证书加级"),
        (("kind", "证书"), ("levels", "加级数")),
    ),
    ScaleTable(
        "parameters",
        ScaleParameter,
        _("薪酬参数"),
        (
            ("code", "参数"),
            ("rate", "比率"),
            ("amount", "金额"),
            ("count", "数值"),
            ("reference_year", "统计年度"),
        ),
    ),
)


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

"""The tables of a pay-scale version, one model per table (level pay, post
allowance, grade coefficient, star allowance, education years, certificate
levels, parameters), and ``SCALE_TABLES``, the one declaration of them that
the resources, the copy and the admin read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import CertificateKind, Education, Post
from payroll.models.scales import ScaleRow, ScaleVersion
from ratings.models import Grade


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

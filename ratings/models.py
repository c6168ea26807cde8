"""Annual grades (年度考核) and star ratings (星级) of workers and communities."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Community, TimeStampedModel, Worker
from ratings import rules


class Grade(models.TextChoices):
    EXCELLENT = rules.EXCELLENT, _("优秀")
    PASS = rules.PASS, _("合格")
    BASIC_PASS = rules.BASIC_PASS, _("基本合格")
    FAIL = rules.FAIL, _("不合格")


class AnnualGrade(TimeStampedModel):
    worker = models.ForeignKey(
        Worker, models.CASCADE, related_name="annual_grades", verbose_name=_("人员")
    )
    year = models.PositiveSmallIntegerField(
        _("考核年度"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    grade = models.CharField(_("考核结果"), max_length=12, choices=Grade.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        ordering = ["worker", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "year"], name="one_grade_per_worker_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.year} {self.get_grade_display()}"


class StarRating(TimeStampedModel):
    """A star rating of a worker or of a community (exactly one of the two)."""

    worker = models.ForeignKey(
        Worker,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="star_ratings",
        verbose_name=_("人员"),
    )
    community = models.ForeignKey(
        Community,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="star_ratings",
        verbose_name=_("社区"),
    )
    rated_on = models.DateField(_("评定日期"))
    stars = models.PositiveSmallIntegerField(
        _("星级"),
        validators=[
            MinValueValidator(rules.MIN_STARS),
            MaxValueValidator(rules.MAX_STARS),
        ],
    )
    score = models.DecimalField(
        _("得分"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    assessor = models.CharField(_("评定单位"), max_length=100, blank=True)
    valid_until = models.DateField(_("有效期至"))
    evidence = models.TextField(_("依据材料"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )

    class Meta:
        verbose_name = _("星级评定")
        verbose_name_plural = _("星级评定")
        ordering = ["-rated_on"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(worker__isnull=False, community__isnull=True)
                    | models.Q(worker__isnull=True, community__isnull=False)
                ),
                name="star_rating_one_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5),
                name="star_rating_stars_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["worker", "rated_on"])]

    def __str__(self) -> str:
        return f"{self.worker or self.community} {self.stars}★ {self.rated_on}"

    def clean(self) -> None:
        if bool(self.worker_id) == bool(self.community_id):
            raise ValidationError(_("星级评定须且只能针对一名人员或一个社区。"))
        if self.valid_until and self.rated_on and self.valid_until < self.rated_on:
            raise ValidationError({"valid_until": _("有效期不能早于评定日期。")})

    def as_rule(self) -> rules.Star:
        return rules.Star(
            rated_on=self.rated_on, stars=self.stars, valid_until=self.valid_until
        )

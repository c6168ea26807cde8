"""The workers of the roster, their positions and certificates, and the
choices that describe them (education, certificate kind, position, gender).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import clock, rules

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from .places import Community, Post, TimeStampedModel


class Education(models.TextChoices):
    BELOW_BACHELOR = "below_bachelor", _("本科以下")
    BACHELOR = "bachelor", _("学士")
    MASTER = "master", _("硕士")
    DOCTOR = "doctor", _("博士")


class CertificateKind(models.TextChoices):
    ASSISTANT = "assistant", _("助理社工师")
    INTERMEDIATE = "intermediate", _("社工师")
    SENIOR = "senior", _("高级社工师")


class Position(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DIRECTOR = "director", _("主任")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    DEPUTY_DIRECTOR = "deputy_director", _("副主任")
    COMMITTEE_MEMBER = "committee_member", _("委员")
    STAFF = "staff", _("工作人员")


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Worker(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("在岗")
        SUSPENDED = "suspended", _("停薪")
        LEFT = "left", _("离职")

    full_name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
    gender = models.CharField(
        _("性别"), max_length=1, choices=Gender.choices, blank=True
    )
    birth_date = models.DateField(_("出生日期"), blank=True)
    community = models.ForeignKey(
        Community, models.PROTECT, related_name="workers", verbose_name=_("社区")
    )
    post = models.ForeignKey(Post, models.PROTECT, verbose_name=_("岗位"))
    level = models.PositiveSmallIntegerField(
        _("等级"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    started_on = models.DateField(_("参加社区工作日期"))
    education = models.CharField(
        _("学历学位"),
        max_length=20,
        choices=Education.choices,
        default=Education.BELOW_BACHELOR,
    )
    joined_on = models.DateField(_("入职日期"))
    left_on = models.DateField(_("离职日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    bank_name = models.CharField(_("开户银行"), max_length=50, blank=True)
    bank_account = models.CharField(_("银行账号"), max_length=32, blank=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("社区工作者")
        verbose_name_plural = _("社区工作者")
        ordering = ["community__code", "full_name"]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self) -> str:
        return self.full_name

    def clean_fields(self, exclude: Any = None) -> None:
        # Birth date and gender are derived from the ID number when not given,
        # so that a roster needs only the ID; clean() checks any given values.
        if self.id_number and (not self.birth_date or not self.gender):
            try:
                parsed = rules.parse_citizen_id(self.id_number, today=clock.today())
            except rules.CitizenIdError:
                pass
            else:
                self.birth_date = self.birth_date or parsed.birth_date
                self.gender = self.gender or parsed.gender
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        today = clock.today()
        try:
            parsed = rules.parse_citizen_id(self.id_number or "", today=today)
        except rules.CitizenIdError as exc:
            errors.setdefault("id_number", []).append(citizen_id_message(exc.code))
        else:
            self.id_number = parsed.number
            if self.birth_date and self.birth_date != parsed.birth_date:
                errors.setdefault("birth_date", []).append(
                    _("出生日期与身份证号不一致。")
                )
            if self.gender and self.gender != parsed.gender:
                errors.setdefault("gender", []).append(_("性别与身份证号不一致。"))
            self.birth_date = parsed.birth_date
            self.gender = parsed.gender
        for field in ("started_on", "joined_on", "left_on"):
            value = getattr(self, field)
            if value and value > today:
                errors.setdefault(field, []).append(_("日期不能晚于今天。"))
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            errors.setdefault("left_on", []).append(_("离职日期早于入职日期。"))
        if self.post_id and self.level:
            post = self.post
            if not post.lowest_level <= self.level <= post.highest_level:
                errors.setdefault("level", []).append(
                    _("等级 %(level)s 超出岗位“%(post)s”的范围 %(low)s–%(high)s。")
                    % {
                        "level": self.level,
                        "post": post.name,
                        "low": post.lowest_level,
                        "high": post.highest_level,
                    }
                )
        if errors:
            raise ValidationError(errors)

    def is_active_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on >= day)


def citizen_id_message(code: str) -> StrOrPromise:
    return {
        "length": _("身份证号应为18位。"),
        "format": _("身份证号格式错误：前17位应为数字，末位为数字或X。"),
        "checksum": _("身份证号校验码错误。"),
        "birth_date": _("身份证号中的出生日期无效。"),
    }[code]


class WorkerPosition(models.Model):
    """A position held by a worker for a period (书记, 主任, ...)."""

    worker = models.ForeignKey(Worker, models.CASCADE, related_name="positions")
    position = models.CharField(_("职务"), max_length=20, choices=Position.choices)
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("卸任日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("职务")
        verbose_name_plural = _("职务")
        ordering = ["worker", "started_on"]

    def __str__(self) -> str:
        return f"{self.worker} {self.get_position_display()}"

    def clean(self) -> None:
        if self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("卸任日期早于任职日期。")})


class WorkerCertificate(models.Model):
    worker = models.ForeignKey(Worker, models.CASCADE, related_name="certificates")
    kind = models.CharField(_("证书"), max_length=20, choices=CertificateKind.choices)
    obtained_on = models.DateField(_("取得日期"))
    number = models.CharField(_("证书编号"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("社工职业资格证书")
        verbose_name_plural = _("社工职业资格证书")
        ordering = ["worker", "obtained_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "kind"], name="one_certificate_of_each_kind"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

"""The organisation tree, users with their role and scope, and the workers."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core import clock, rules

# The documents' models live in their own module (they import nothing of
# core); importing them here makes them part of core's models and migrations.
from core.documents.models import (  # noqa: F401
    Disclosure,
    DocumentBatch,
    DocumentBatchPart,
    DocumentCounter,
    DocumentKind,
    DownloadLog,
    IssuedDocument,
)
from core.fields import ClockDateTimeField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


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


class Role(models.TextChoices):
    CITY_STAFF = "city_staff", _("市民政工作人员")
    DISTRICT_STAFF = "district_staff", _("区民政工作人员")
    FINANCE = "finance", _("财务人员")
    STREET_OFFICER = "street_officer", _("街道工作人员")
    SECRETARY = "secretary", _("社区书记")
    AUDITOR = "auditor", _("审计人员")
    ADMIN = "admin", _("系统管理员")
    WORKER = "worker", _("社区工作者（本人）")


class User(AbstractUser):
    """A login with one role and the part of the city it may see."""

    role = models.CharField(
        _("角色"), max_length=20, choices=Role.choices, default=Role.AUDITOR
    )
    district = models.ForeignKey(
        District, models.PROTECT, null=True, blank=True, verbose_name=_("所属区")
    )
    street = models.ForeignKey(
        Street, models.PROTECT, null=True, blank=True, verbose_name=_("所属街道")
    )
    community = models.ForeignKey(
        Community, models.PROTECT, null=True, blank=True, verbose_name=_("所属社区")
    )
    # The worker this login belongs to, if any: a secretary sees her own
    # annuity account through it.
    worker = models.OneToOneField(
        "core.Worker",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("本人（社区工作者）"),
    )
    # Set when staff issue a one-time password; the login may do nothing but
    # choose its own password until it is cleared.
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """As Django's, except that a separation-of-duty permission comes only
        from the role (core.permissions.role_only_permissions): a superuser
        administrator cannot compute, approve or lock a payroll cycle."""
        from core.permissions import role_has_perm, role_only_permissions

        if perm in role_only_permissions():
            return self.is_active and role_has_perm(self.role, perm)
        return super().has_perm(perm, obj)

    def clean(self) -> None:
        super().clean()
        scope_of_role: dict[str, str] = {
            Role.DISTRICT_STAFF: "district",
            Role.STREET_OFFICER: "street",
            Role.SECRETARY: "community",
            Role.WORKER: "worker",
        }
        required = scope_of_role.get(self.role)
        if required and getattr(self, f"{required}_id") is None:
            raise ValidationError({required: _("该角色必须指定范围。")})
        if self.role == Role.WORKER and (
            self.district_id or self.street_id or self.community_id
        ):
            raise ValidationError(_("本人账号只能看到本人，不应限定区、街道或社区。"))
        if self.role in (Role.CITY_STAFF, Role.ADMIN) and (
            self.district_id or self.street_id or self.community_id
        ):
            raise ValidationError(_("市级角色不应限定区、街道或社区。"))
        self._clean_scope_nesting(required)

    def _clean_scope_nesting(self, required: str | None) -> None:
        """District ⊃ street ⊃ community: a scope whose parts disagree would
        let the narrowest part decide silently (core.selectors.scope_q)."""
        errors: dict[str, StrOrPromise] = {}
        if (
            self.district_id
            and self.street is not None
            and self.street.district_id != self.district_id
        ):
            errors["street"] = _("该街道不属于所选的区。")
        if (
            self.street_id
            and self.community is not None
            and self.community.street_id != self.street_id
        ):
            errors["community"] = _("该社区不属于所选的街道。")
        elif (
            self.district_id
            and self.community is not None
            and self.community.street.district_id != self.district_id
        ):
            errors["community"] = _("该社区不属于所选的区。")
        below = {"district": ("street", "community"), "street": ("community",)}
        for name in below.get(required or "", ()):
            if getattr(self, f"{name}_id") and name not in errors:
                errors[name] = _("该角色的范围只到%(level)s，请不要再选下一级。") % {
                    "level": {"district": _("区"), "street": _("街道")}[required or ""]
                }
        if errors:
            raise ValidationError(errors)


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


class ChangeLog(models.Model):
    """Who changed what and when, for workers, users and reference data."""

    class Action(models.TextChoices):
        CREATE = "create", _("新增")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        IMPORT = "import", _("导入")
        REVEAL = "reveal", _("查看完整信息")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), default=clock.now, db_index=True)
    model = models.CharField(_("对象类型"), max_length=50)
    object_id = models.CharField(_("对象"), max_length=40)
    object_repr = models.CharField(_("对象名称"), max_length=100)
    action = models.CharField(_("动作"), max_length=10, choices=Action.choices)
    changes = models.JSONField(_("变更"), default=dict)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.object_repr} {self.get_action_display()}"
        )

    @property
    def model_verbose_name(self) -> str:
        """The changed model by its name in the page's language ("用户"), not
        its label ("core.user")."""
        from django.apps import apps

        try:
            return str(apps.get_model(self.model)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.model


class ImportJob(models.Model):
    """A checked import waiting for its confirm (DOMAIN: imports are all or
    nothing). The preview's result (every row's problems, or the rows ready to
    save) is kept in a private file; the confirm saves that plan after a cheap
    recheck of the keys instead of checking every row again. A large file is
    checked in the background and the page follows ``rows_done``."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        CHECKING = "checking", _("检查中")
        CHECKED = "checked", _("已检查")
        FAILED = "failed", _("检查失败")
        SAVED = "saved", _("已导入")

    kind = models.CharField(_("导入类型"), max_length=30)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="+",
        verbose_name=_("上传人"),
    )
    token = models.CharField(max_length=40, unique=True)
    filename = models.CharField(_("文件名"), max_length=200)
    # No longer written or read (core.import_jobs): drop with the next core
    # migration.
    sha256 = models.CharField(max_length=64)
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)
    file_errors = models.JSONField(default=list)
    stored = models.CharField(max_length=80, blank=True)
    plan = models.CharField(max_length=80, blank=True)
    created_at = ClockDateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status != self.Status.QUEUED else 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or self.error_rows > 0

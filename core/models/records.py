"""What is kept about changes: the change log and the import jobs (a
preview's report and plan).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import clock
from core.fields import ClockDateTimeField

if TYPE_CHECKING:
    pass


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

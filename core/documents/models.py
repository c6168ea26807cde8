"""Issued documents, their numbering, bulk batches and the download log.

An issued document never changes: a changed fact makes a new document that
names the one it replaces. The download log is append-only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ISSUED_IS_FINAL = _(
    "已签发的文书不能修改或删除；事实变化时请重新签发，新编号将注明替代关系。"
)
LOG_IS_APPEND_ONLY = _("下载记录只能新增，不能修改或删除。")


class DocumentKind(models.TextChoices):
    PAYSLIP = "payslip", _("工资条")
    PAYSLIP_BUNDLE = "payslip_bundle", _("社区工资条汇编")
    TAX_YEAR = "tax_year", _("年度工资薪金及个税明细")
    CYCLE_REGISTER = "cycle_register", _("工资发放表")
    BANK_LIST = "bank_list", _("银行代发清单")
    FUND_STATEMENT = "fund_statement", _("为民服务专项资金收支明细")
    ANNUITY_STATEMENT = "annuity_statement", _("企业年金个人账户对账单")


# Number prefixes: the document number reads e.g. GZ-2026-000123.
KIND_PREFIX: dict[str, str] = {
    DocumentKind.PAYSLIP: "GZ",
    DocumentKind.PAYSLIP_BUNDLE: "GH",
    DocumentKind.TAX_YEAR: "NS",
    DocumentKind.CYCLE_REGISTER: "FB",
    DocumentKind.BANK_LIST: "DF",
    DocumentKind.FUND_STATEMENT: "ZJ",
    DocumentKind.ANNUITY_STATEMENT: "NJ",
}


class Disclosure(models.TextChoices):
    """What a document shows beyond what every reader in its scope may see;
    only roles allowed to see it find the document (core.selectors)."""

    NONE = "", _("常规")
    FULL_ID = "full_id", _("完整身份证号")
    FULL_BANK = "full_bank", _("完整银行账号")
    EMPLOYER_COST = "employer_cost", _("单位缴费")


class DocumentCounter(models.Model):
    """The last number used for a kind and year (locked while a number is taken)."""

    kind = models.CharField(_("类型"), max_length=20, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("年"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("文书编号计数")
        verbose_name_plural = _("文书编号计数")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year"], name="one_counter_per_kind_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class DocumentBatch(models.Model):
    """A bulk job: many documents issued in parts, then zipped for download."""

    class Status(models.TextChoices):
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("批量类型"), max_length=40)
    title = models.CharField(_("名称"), max_length=200)
    params = models.JSONField(_("参数"), default=dict)
    language = models.CharField(_("语言"), max_length=10)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("发起人"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    parts_total = models.PositiveIntegerField(_("分片数"), default=0)
    parts_done = models.PositiveIntegerField(_("已完成分片"), default=0)
    result = models.FileField(_("结果文件"), upload_to="documents/batches/", blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量文书")
        verbose_name_plural = _("批量文书")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def progress_percent(self) -> int:
        if not self.parts_total:
            return 100 if self.status == self.Status.DONE else 0
        return int(self.parts_done * 100 / self.parts_total)


class DocumentBatchPart(models.Model):
    """One part of a batch (e.g. one community); done once its documents exist."""

    batch = models.ForeignKey(DocumentBatch, models.CASCADE, related_name="parts")
    index = models.PositiveIntegerField(_("序号"))
    key = models.JSONField(_("内容"), default=dict)
    label = models.CharField(_("名称"), max_length=200, blank=True)
    is_done = models.BooleanField(_("已完成"), default=False)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    document_ids = models.JSONField(_("文书"), default=list, blank=True)

    class Meta:
        verbose_name = _("批量文书分片")
        verbose_name_plural = _("批量文书分片")
        ordering = ["batch", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "index"], name="one_part_per_batch_index"
            )
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}#{self.index}"


class IssuedDocument(models.Model):
    """A PDF issued by the system: numbered, signed, stored, verifiable."""

    kind = models.CharField(_("类型"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("文书编号"), max_length=30, unique=True)
    code = models.CharField(_("验证码"), max_length=20, unique=True)
    subject_key = models.CharField(_("对象"), max_length=120, db_index=True)
    language = models.CharField(_("语言"), max_length=10)
    title = models.CharField(_("标题"), max_length=200)
    subject_name = models.CharField(_("对象（脱敏）"), max_length=100, blank=True)
    worker = models.ForeignKey(
        "core.Worker",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("社区工作者"),
    )
    community = models.ForeignKey(
        "core.Community",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("社区"),
    )
    district = models.ForeignKey(
        "core.District",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("区"),
    )
    year = models.PositiveSmallIntegerField(_("年"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("月"), null=True, blank=True)
    totals = models.JSONField(_("主要数据"), default=list, blank=True)
    disclosure = models.CharField(
        _("披露内容"),
        max_length=20,
        choices=Disclosure.choices,
        blank=True,
        default=Disclosure.NONE,
    )
    facts_sha256 = models.CharField(_("内容指纹"), max_length=64)
    sha256 = models.CharField(_("文件 SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("文件大小（字节）"), default=0)
    pages = models.PositiveIntegerField(_("页数"), default=0)
    file = models.FileField(_("文件"), upload_to="documents/%Y/%m/")
    issuer = models.CharField(_("签发机关"), max_length=100)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签发人"),
    )
    issued_at = models.DateTimeField(_("签发时间"), db_index=True)
    replaces = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("替代"),
    )
    batch = models.ForeignKey(
        DocumentBatch,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("批量任务"),
    )

    class Meta:
        verbose_name = _("签发文书")
        verbose_name_plural = _("签发文书")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "year", "month"]),
            models.Index(fields=["subject_key", "language"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(ISSUED_IS_FINAL)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(ISSUED_IS_FINAL)

    @property
    def period(self) -> str:
        if self.year and self.month:
            return f"{self.year}-{self.month:02d}"
        return str(self.year or "")

    @property
    def filename(self) -> str:
        return f"{self.title}-{self.number}.pdf"


class DownloadLog(models.Model):
    """One file handed to a user: who, when, what, its scope and the address."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "Excel"
        CSV = "csv", "CSV"
        BANK = "bank", _("银行文件")
        ZIP = "zip", "ZIP"
        OTHER = "other", _("其他")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("用户"),
    )
    at = models.DateTimeField(_("时间"), db_index=True)
    format = models.CharField(_("格式"), max_length=10, choices=Format.choices)
    what = models.CharField(_("内容"), max_length=200)
    filename = models.CharField(_("文件名"), max_length=200)
    scope = models.CharField(_("范围"), max_length=200, blank=True)
    path = models.CharField(_("页面地址"), max_length=300, blank=True)
    client_address = models.GenericIPAddressField(
        _("客户端地址"), null=True, blank=True
    )
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    document = models.ForeignKey(
        IssuedDocument,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="downloads",
        verbose_name=_("文书"),
    )
    batch = models.ForeignKey(
        DocumentBatch,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="downloads",
        verbose_name=_("批量文书"),
    )

    class Meta:
        verbose_name = _("下载记录")
        verbose_name_plural = _("下载记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.filename}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(LOG_IS_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(LOG_IS_APPEND_ONLY)

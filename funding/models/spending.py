"""What is spent and changed on a project: expenses, the files kept with
them, and budget changes.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import entered_amount_field as plain_money
from core.money import decimal_of, money_field

from .policy import ExpenseClass
from .projects import CouncilMeeting, Project


class Expense(models.Model):
    # Typed here: django-money swaps the class of the default manager at run
    # time (for Money lookups), which the type checker cannot follow.
    objects: ClassVar[models.Manager[Expense]] = models.Manager()
    project = models.ForeignKey(
        Project, models.PROTECT, related_name="expenses", verbose_name=_("项目")
    )
    payee = models.CharField(_("收款方"), max_length=100)
    payee_is_person = models.BooleanField(
        _("收款方为个人"),
        default=False,
        help_text=_("个人姓名不在公开页面显示"),
    )
    paid_on = models.DateField(_("支付日期"))
    # Negative only on a reversal: a recorded expense is never edited; a
    # mistake is corrected by a reversal row and, if needed, a new expense.
    amount = money_field(_("金额"), non_negative=False)
    description = models.CharField(_("支出内容"), max_length=200)
    classification = models.ForeignKey(
        ExpenseClass, models.PROTECT, verbose_name=_("经济分类")
    )
    reverses = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        verbose_name=_("冲销的支出"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("登记人"),
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("支出")
        verbose_name_plural = pgettext_lazy("plural", "支出")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reverses__isnull=True, amount__gte=0)
                | models.Q(reverses__isnull=False, amount__lt=0),
                name="expense_negative_only_as_reversal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.paid_on} {decimal_of(self.amount)}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class StoredFile(models.Model):
    """A private upload: a receipt of an expense or an attachment of a meeting.

    The file lives under PRIVATE_MEDIA_ROOT at ``path`` (a random name); it is
    never served by URL, only by a view that checks the reader's scope.
    """

    expense = models.ForeignKey(
        Expense,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="receipts",
        verbose_name=_("支出"),
    )
    meeting = models.ForeignKey(
        CouncilMeeting,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("议事会"),
    )
    kind = models.CharField(_("类型"), max_length=5)
    name = models.CharField(_("文件名"), max_length=100)
    path = models.CharField(_("存储路径"), max_length=200, unique=True)
    size = models.PositiveIntegerField(_("大小（字节）"))
    # SHA-256 of the content: the same receipt twice in a fund year is refused.
    sha256 = models.CharField(_("内容摘要"), max_length=64, blank=True, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("票据与附件")
        verbose_name_plural = pgettext_lazy("plural", "票据与附件")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expense__isnull=False, meeting__isnull=True)
                | models.Q(expense__isnull=True, meeting__isnull=False),
                name="stored_file_belongs_to_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class BudgetChange(models.Model):
    """A new approved amount for a project (A9): proposed with a reason by
    the secretary after a council meeting, approved by the street, and by the
    district when the new amount is above the threshold. Never edited."""

    # Typed here: django-money swaps the class of the default manager at run
    # time (for Money lookups), which the type checker cannot follow.
    objects: ClassVar[models.Manager[BudgetChange]] = models.Manager()

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待街道审批")
        STREET_APPROVED = "street_approved", _("街道已同意，待区级批准")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未通过")
        WITHDRAWN = "withdrawn", _("已撤回")

    project = models.ForeignKey(
        Project, models.PROTECT, related_name="budget_changes", verbose_name=_("项目")
    )
    previous_amount = plain_money(_("原批准金额"))
    new_amount = money_field(_("新批准金额"))
    reason = models.TextField(_("调整理由"))
    needs_district = models.BooleanField(_("需区级审批"), default=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("申请人"),
    )
    proposed_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    street_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("街道同意人"),
    )
    comment = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("预算调整")
        verbose_name_plural = pgettext_lazy("plural", "预算调整")
        ordering = ["proposed_at", "id"]

    def __str__(self) -> str:
        new = decimal_of(self.new_amount)
        return f"{self.project} {self.previous_amount} → {new}"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.STREET_APPROVED)

"""Projects and their workflow: states, the transitions between them, the
events kept, council meetings and objections.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import entered_amount_field as plain_money
from core.models import Role
from core.money import decimal_of, money_field

from .fund_years import FundYear
from .policy import Category


class ProjectState(models.TextChoices):
    PROPOSED = "proposed", _("已提议")
    DISCUSSED = "discussed", _("议事会已讨论")
    STREET_REVIEWED = "street_reviewed", _("街道已审核")
    ON_NOTICE = "on_notice", _("公示中")
    STREET_APPROVED = "street_approved", _("街道已同意，待区级批准")
    APPROVED = "approved", _("已批准")
    IN_PROGRESS = "in_progress", _("实施中")
    REPORTED = "reported", _("支出已报齐，待验收")
    ACCEPTED = "accepted", _("已验收")
    PUBLISHED = "published", _("已公开")
    REOPENED = "reopened", _("验收后重新打开，更正中")
    CARRIED = "carried", _("已结转下年")
    LAPSED = "lapsed", _("年度结账时终止")
    REFUSED = "refused", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


# States in which a project holds a reservation (a commitment) on its fund.
RESERVING_STATES = (
    ProjectState.APPROVED,
    ProjectState.IN_PROGRESS,
    ProjectState.REPORTED,
    ProjectState.REOPENED,
)
# States in which expenses may be recorded or reversed.
SPENDING_STATES = (
    ProjectState.APPROVED,
    ProjectState.IN_PROGRESS,
    ProjectState.REOPENED,
)
# States in which a project's approved amount is its budget (reports, pages).
BUDGETED_STATES = (
    *RESERVING_STATES,
    ProjectState.ACCEPTED,
    ProjectState.PUBLISHED,
    ProjectState.CARRIED,
)
# States shown on the public page (the notice and everything approved).
PUBLIC_STATES = (
    ProjectState.ON_NOTICE,
    ProjectState.STREET_APPROVED,
    *BUDGETED_STATES,
)


class Transition(models.Model):
    """An allowed step of the project life and the role that may take it."""

    from_state = models.CharField(
        _("原状态"), max_length=20, choices=ProjectState.choices
    )
    to_state = models.CharField(
        _("新状态"), max_length=20, choices=ProjectState.choices
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    label = models.CharField(_("操作名称"), max_length=30)
    requires_district = models.BooleanField(
        _("仅适用于需区级审批的项目"),
        null=True,
        blank=True,
        help_text=_("空：都适用；是：仅超过限额的项目；否：仅未超过限额的项目"),
    )
    requires_meeting = models.BooleanField(_("须有通过的议事会记录"), default=False)
    requires_notice_over = models.BooleanField(
        _("须公示期满且异议均已答复"), default=False
    )
    starts_notice = models.BooleanField(_("开始公示"), default=False)
    reserves_money = models.BooleanField(_("预留资金"), default=False)
    requires_comment = models.BooleanField(_("须填写理由"), default=False)
    checks_spending = models.BooleanField(
        _("须支出不超过批准金额且无待批预算调整"), default=False
    )
    requires_expense = models.BooleanField(_("须至少登记一笔支出"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("项目流转规则")
        verbose_name_plural = pgettext_lazy("plural", "项目流转规则")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_state", "to_state", "role"],
                name="one_transition_per_step_and_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state} ({self.role})"


class CarryForward(models.TextChoices):
    REQUESTED = "requested", _("已申请，待街道同意")
    APPROVED = "approved", _("街道已同意结转")
    REFUSED = "refused", _("街道不同意结转")


class Project(models.Model):
    # Typed here: django-money swaps the class of the default manager at run
    # time (for Money lookups), which the type checker cannot follow.
    objects: ClassVar[models.Manager[Project]] = models.Manager()
    fund_year = models.ForeignKey(
        FundYear, models.PROTECT, related_name="projects", verbose_name=_("资金年度")
    )
    category = models.ForeignKey(Category, models.PROTECT, verbose_name=_("类别"))
    title = models.CharField(_("项目名称"), max_length=100)
    purpose = models.TextField(_("用途与内容"))
    beneficiaries = models.CharField(_("受益对象"), max_length=200)
    expected_beneficiaries = models.PositiveIntegerField(_("预计受益人数"))
    estimated_cost = money_field(_("预算金额"))
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=ProjectState.choices,
        default=ProjectState.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("提议人"),
    )
    proposed_on = models.DateField(_("提议日期"), default=timezone.localdate)
    needs_district = models.BooleanField(_("需区级审批"), default=False)
    notice_started_on = models.DateField(_("公示开始"), null=True, blank=True)
    notice_ends_on = models.DateField(_("公示截止"), null=True, blank=True)
    # The approved amount: set at approval, changed only by an approved
    # budget change; spending never goes above it.
    reserved = plain_money(_("批准金额"), default=Decimal("0"))
    state_changed_at = models.DateTimeField(_("状态变更时间"), default=timezone.now)
    carry_forward = models.CharField(
        _("结转下年"),
        max_length=10,
        choices=CarryForward.choices,
        blank=True,
        default="",
    )
    carry_forward_reason = models.CharField(_("结转理由"), max_length=200, blank=True)
    carried_from = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="continuation",
        verbose_name=_("由上年项目结转"),
    )

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = pgettext_lazy("plural", "项目")
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["fund_year", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def budget(self) -> Decimal:
        """The approved amount once approved, the proposed one before."""
        if self.state in BUDGETED_STATES:
            return self.reserved
        return decimal_of(self.estimated_cost)


class ProjectEvent(models.Model):
    """Every step a project took: who, when, from what to what, and why."""

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="events", verbose_name=_("项目")
    )
    from_state = models.CharField(
        _("原状态"), max_length=20, choices=ProjectState.choices, blank=True
    )
    to_state = models.CharField(
        _("新状态"), max_length=20, choices=ProjectState.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("项目流转记录")
        verbose_name_plural = pgettext_lazy("plural", "项目流转记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.project} {self.from_state} → {self.to_state}"


class CouncilMeeting(models.Model):
    """A 党群议事会 on a project: attendance, minutes and its result."""

    class Result(models.TextChoices):
        PASSED = "passed", _("同意")
        REJECTED = "rejected", _("不同意")
        DEFERRED = "deferred", _("暂缓")

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="meetings", verbose_name=_("项目")
    )
    held_on = models.DateField(_("会议日期"))
    attendance = models.PositiveIntegerField(_("出席人数"))
    minutes = models.TextField(_("会议纪要"))
    result = models.CharField(_("结果"), max_length=10, choices=Result.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("记录人"),
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    budget_change = models.OneToOneField(
        "BudgetChange",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="meeting",
        verbose_name=_("预算调整"),
    )

    class Meta:
        verbose_name = _("党群议事会记录")
        verbose_name_plural = pgettext_lazy("plural", "党群议事会记录")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.project} {self.held_on}"


class Objection(models.Model):
    """An objection raised during the public notice, and its answer."""

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="objections", verbose_name=_("项目")
    )
    received_on = models.DateField(_("收到日期"))
    content = models.TextField(_("异议内容"))
    answer = models.TextField(_("答复"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("记录人"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("答复人"),
    )

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = pgettext_lazy("plural", "公示异议")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.project} {self.received_on}"

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)

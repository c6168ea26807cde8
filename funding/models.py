"""The service fund (为民服务专项资金): fund years, projects, spending.

The amounts people type (allocation and its sources, a project's estimated
cost, a new approved amount, an expense) are CNY ``MoneyField``s
(``core.money.money_field``); the amounts the system derives stay
``DecimalField(14, 2)``. Rules see plain Decimals (``core.money.decimal_of``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import entered_amount_field as plain_money
from core.models import Community, Role
from core.money import decimal_of, money_field
from funding import rules

if TYPE_CHECKING:
    pass


class FundPolicy(models.Model):
    """The figures of DOMAIN A9 as a dated row: the newest in force applies."""

    effective_on = models.DateField(_("生效日期"), unique=True)
    minimum_allocation = plain_money(_("每年最低拨款（元）"))
    district_approval_threshold = plain_money(_("需区级审批的项目金额（超过，元）"))
    notice_days = models.PositiveSmallIntegerField(
        _("公示天数"), validators=[MinValueValidator(1)]
    )
    carry_over_allowed = models.BooleanField(_("年末结余结转下年"), default=True)
    max_receipt_bytes = models.PositiveIntegerField(
        _("票据文件最大字节数"), default=5 * 1024 * 1024
    )
    allowed_receipt_types = models.CharField(
        _("允许的票据类型"),
        max_length=60,
        default="pdf,jpg,png",
        help_text=_("用逗号分隔，如 pdf,jpg,png"),
    )
    source_note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("资金政策参数")
        verbose_name_plural = pgettext_lazy("plural", "资金政策参数")
        ordering = ["-effective_on"]

    def __str__(self) -> str:
        return f"{self.effective_on}"

    def as_rule(self) -> rules.Policy:
        return rules.Policy(
            minimum_allocation=self.minimum_allocation,
            district_approval_threshold=self.district_approval_threshold,
            notice_days=self.notice_days,
            carry_over_allowed=self.carry_over_allowed,
            max_receipt_bytes=self.max_receipt_bytes,
            allowed_receipt_types=tuple(
                t.strip().lower()
                for t in self.allowed_receipt_types.split(",")
                if t.strip()
            ),
        )


class Category(models.Model):
    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("项目类别")
        verbose_name_plural = pgettext_lazy("plural", "项目类别")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ForbiddenUse(models.Model):
    """A use the fund may never pay for (DOMAIN A9, B6.3)."""

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    keywords = models.CharField(
        _("关键词"), max_length=300, help_text=_("用顿号或逗号分隔")
    )
    source_note = models.CharField(_("依据"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("禁止用途")
        verbose_name_plural = pgettext_lazy("plural", "禁止用途")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def as_rule(self) -> rules.ForbiddenUse:
        words = self.keywords
        for separator in ("，", "、", ";", "；"):
            words = words.replace(separator, ",")
        return rules.ForbiddenUse(
            code=self.code,
            name=self.name,
            keywords=tuple(w.strip() for w in words.split(",") if w.strip()),
        )


class ExpenseClass(models.Model):
    """An economic classification of spending, allowed or forbidden (A9).

    Every expense names one; a forbidden one is refused with its rule. The
    list is dated: a row applies to expenses paid from ``effective_on`` until
    the day before ``ends_on``.
    """

    code = models.CharField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    is_allowed = models.BooleanField(_("允许使用专项资金"), default=True)
    rule = models.CharField(_("依据的规定"), max_length=200)
    effective_on = models.DateField(_("生效日期"))
    ends_on = models.DateField(_("停用日期"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("支出经济分类")
        verbose_name_plural = pgettext_lazy("plural", "支出经济分类")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def applies_on(self, day: date) -> bool:
        return self.effective_on <= day and (self.ends_on is None or day < self.ends_on)


class FundYear(models.Model):
    # Typed here: django-money swaps the class of the default manager at run
    # time (for Money lookups), which the type checker cannot follow.
    objects: ClassVar[models.Manager[FundYear]] = models.Manager()

    class Status(models.TextChoices):
        OPEN = "open", _("执行中")
        CLOSED = "closed", _("已结账")

    community = models.ForeignKey(
        Community, models.PROTECT, related_name="fund_years", verbose_name=_("社区")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    allocation = money_field(_("年度拨款"))
    city_share = money_field(_("市级承担"), default=Decimal("0"))
    district_share = money_field(_("区级承担"), default=Decimal("0"))
    street_share = money_field(_("街道承担"), default=Decimal("0"))
    carried_in = plain_money(_("上年结转"), default=Decimal("0"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    closed_at = models.DateTimeField(_("结账时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("结账人"),
    )
    carried_out = plain_money(_("结转下年"), default=Decimal("0"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("资金年度")
        verbose_name_plural = pgettext_lazy("plural", "资金年度")
        ordering = ["-year", "community__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year"], name="one_fund_year_per_community"
            )
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.year}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


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

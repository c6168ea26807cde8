"""Shared checks and messages of the fund services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy

from core.models import Community, Role, User
from core.selectors import community_list_visible_to
from funding import selectors
from funding.models import (
    FundYear,
)

OUT_OF_SCOPE = gettext_lazy("该社区不在您的管理范围内。")
NOT_FUND_ADMIN = gettext_lazy("您的角色不能设置或结算资金年度。")
NOT_SECRETARY = gettext_lazy("只有本社区书记可以办理此事项。")
ALLOCATION_BELOW_FLOOR = gettext_lazy(
    "年度拨款 %(amount)s 元低于最低标准 %(minimum)s 元（每个社区每年不少于 "
    "%(minimum)s 元），不能保存。"
)
SOURCES_MISMATCH = gettext_lazy(
    "市级承担、区级承担、街道承担合计 %(total)s 元，与年度拨款 %(amount)s 元不一致。"
)
ALLOCATION_BELOW_USE = gettext_lazy(
    "年度拨款加上年结转共 %(total)s 元，少于已预留和已支出的 %(used)s 元，"
    "不能调低到这个数。"
)
FUND_YEAR_EXISTS = gettext_lazy("%(community)s %(year)s 年度的资金已存在。")
FUND_YEAR_CLOSED = gettext_lazy("%(year)s 年度资金已结账，不能再办理。")
TRANSITION_NOT_ALLOWED = gettext_lazy("您的角色不能对“%(state)s”的项目执行此操作。")
NEEDS_MEETING = gettext_lazy("须先录入党群议事会记录且结果为“同意”。")
NOTICE_NOT_OVER = gettext_lazy("公示期至 %(day)s，期满后才能批准。")
OBJECTIONS_OPEN = gettext_lazy("还有 %(count)s 条公示异议未答复。")
APPROVAL_OVERSPENDS = gettext_lazy(
    "预算 %(cost)s 元超过可用资金 %(available)s 元，不能批准。"
)
COMMENT_REQUIRED = gettext_lazy("请填写理由。")
OBJECTION_ANSWERED = gettext_lazy(
    "该异议已于 %(day)s 答复，答复不能修改；如需补充，请登记新的异议记录。"
)
REVERSAL_STATE = gettext_lazy("只有已批准、实施中或验收后重新打开的项目可以冲销支出。")
REVERSAL_TWICE = gettext_lazy("这笔支出已经冲销过，不能再次冲销。")
REVERSAL_OF_REVERSAL = gettext_lazy("冲销记录本身不能再冲销；请重新登记正确的支出。")
EXPENSE_STATE = gettext_lazy("只有已批准、实施中或验收后重新打开的项目可以登记支出。")
EXPENSE_OVERSPEND_WARNING = gettext_lazy(
    "注意：本笔支出超出项目预留和可用资金 %(over)s 元，资金已超支。"
)
EXPENSE_OVER_APPROVED = gettext_lazy(
    "本笔支出超出项目批准金额，不能登记：批准金额 %(approved)s 元，已支出 "
    "%(spent)s 元，本笔 %(amount)s 元，还差 %(short)s 元。请先申请预算调整。"
)
EXPENSE_DUPLICATE = gettext_lazy(
    "与已登记的第 %(number)s 号支出重复（%(paid_on)s 支付给 %(payee)s "
    "%(amount)s 元，%(day)s 登记），不能重复登记。"
)
RECEIPT_DUPLICATE = gettext_lazy(
    "票据“%(name)s”已用于本年度第 %(number)s 号支出（项目“%(project)s”，"
    "%(paid_on)s 支付给 %(payee)s %(amount)s 元），同一票据不能重复报销。"
)
EXPENSE_CLASS_FORBIDDEN = gettext_lazy("经济分类“%(name)s”不能使用专项资金：%(rule)s。")
EXPENSE_CLASS_NOT_IN_FORCE = gettext_lazy(
    "经济分类“%(name)s”在 %(day)s 不适用，请选择当日有效的分类。"
)
EXPENSE_AMOUNT = gettext_lazy("金额须大于零；更正已登记的支出请用“冲销”。")
EXPENSE_NEEDS_RECEIPT = gettext_lazy("请上传至少一张票据。")
DATE_IN_FUTURE = gettext_lazy("日期不能晚于今天。")
OBJECTION_STATE = gettext_lazy("只有公示中的项目可以登记异议。")
MEETING_STATE = gettext_lazy("只有已提议的项目可以录入议事会记录。")
RECEIPT_MESSAGES = {
    "type": gettext_lazy("“%(name)s”不是允许的文件类型（只接受 %(types)s）。"),
    "content": gettext_lazy("“%(name)s”的内容与文件类型不符。"),
    "size": gettext_lazy("“%(name)s”超过 %(limit)s MB 的大小限制。"),
    "empty": gettext_lazy("“%(name)s”是空文件。"),
}

SETTLED_STATES = selectors.SETTLED_STATES
NO_EXPENSE = gettext_lazy("还没有登记任何支出，不能申请验收。")
ACCEPT_OVER_APPROVED = gettext_lazy(
    "已支出 %(spent)s 元，超过批准金额 %(approved)s 元 %(over)s 元，不能验收；"
    "请退回，冲销多报的支出或申请预算调整。"
)
ACCEPT_CHANGE_PENDING = gettext_lazy("还有一项预算调整待审批，审批后才能验收。")
REOPEN_NO_ROOM = gettext_lazy(
    "重新打开将重新预留 %(outstanding)s 元，超过可用资金 %(available)s 元，"
    "不能重新打开。"
)


def require_scope(actor: User, community: Community | int) -> None:
    community_id = community.pk if isinstance(community, Community) else community
    if not community_list_visible_to(user=actor).filter(pk=community_id).exists():
        raise PermissionDenied(OUT_OF_SCOPE)


def require_fund_admin(actor: User) -> None:
    if not selectors.user_administers_funds(actor):
        raise PermissionDenied(NOT_FUND_ADMIN)


def require_secretary(actor: User, community_id: int) -> None:
    if not (
        actor.is_authenticated
        and actor.is_active
        and actor.role == Role.SECRETARY
        and actor.community_id == community_id
    ):
        raise PermissionDenied(NOT_SECRETARY)


def require_open(fund_year: FundYear) -> None:
    if not fund_year.is_open:
        raise ValidationError(FUND_YEAR_CLOSED % {"year": fund_year.year})


def lock_fund_year(pk: int) -> FundYear:
    return FundYear.objects.select_for_update().get(pk=pk)

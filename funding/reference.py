"""Reference rows of the fund: policy, categories, forbidden uses, transitions.

Plain data plus ``reference_data_ensure``, which the data migration calls with
historical models and tests/demo call with the real ones. It only creates
rows that are missing, so staff edits in the admin are kept.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

# Names are stored in Chinese; gettext_noop puts them in the message catalogue
# so the pages can show the shipped ones in English (names typed in the admin
# are shown as typed).
from django.utils.translation import gettext_noop

POLICY = {
    "effective_on": date(2016, 1, 1),
    "minimum_allocation": Decimal("200000.00"),
    "district_approval_threshold": Decimal("50000.00"),
    "notice_days": 7,
    "carry_over_allowed": True,
    "max_receipt_bytes": 5 * 1024 * 1024,
    "allowed_receipt_types": "pdf,jpg,png",
    "source_note": "每社区每年不少于20万元；5万元以上须区级审批、公示7天（演示值）",
}

CATEGORIES = [
    (
        "party",
        gettext_noop("党建工作"),
        "组织生活、党员教育、志愿服务、关爱困难党员等",
        1,
    ),
    ("public", gettext_noop("公共服务"), "公共设施维护、楼道美化、节庆文体活动等", 2),
    ("autonomy", gettext_noop("自治管理"), "社区协商、居民自治、培育社会组织等", 3),
    ("urgent", gettext_noop("其他迫切服务"), "居民急需解决的其他服务事项", 4),
]

FORBIDDEN_USES = [
    ("office", gettext_noop("社区办公开支"), "办公经费、办公开支、办公用品、办公耗材"),
    (
        "staff_pay",
        gettext_noop("工作人员工资福利和津补贴"),
        "工资、薪酬、奖金、津贴、补贴、福利费、加班费、绩效",
    ),
    (
        "premises",
        gettext_noop("社区办公场所建设和改造"),
        "办公用房、办公场所、办公室装修、办公室改造、硬件建设",
    ),
    (
        "property",
        gettext_noop("应由物业单位承担的费用"),
        "物业费、物业公司、物业管理费、物业维修",
    ),
    ("loan", gettext_noop("偿还借贷款"), "还贷、偿还借款、偿还贷款、借款利息、还款"),
]

# (from, to, role, label, requires_district, meeting, notice_over, starts_notice,
#  reserves)
TRANSITIONS: list[tuple[str, str, str, str, bool | None, bool, bool, bool, bool]] = [
    (
        "proposed",
        "discussed",
        "secretary",
        gettext_noop("提交议事结果"),
        None,
        True,
        False,
        False,
        False,
    ),
    (
        "discussed",
        "street_reviewed",
        "street_officer",
        gettext_noop("街道审核通过"),
        None,
        False,
        False,
        False,
        False,
    ),
    (
        "street_reviewed",
        "on_notice",
        "secretary",
        gettext_noop("开始公示"),
        None,
        False,
        False,
        True,
        False,
    ),
    (
        "on_notice",
        "approved",
        "street_officer",
        gettext_noop("公示期满，批准"),
        False,
        False,
        True,
        False,
        True,
    ),
    (
        "on_notice",
        "street_approved",
        "street_officer",
        gettext_noop("公示期满，街道同意，报区级批准"),
        True,
        False,
        True,
        False,
        False,
    ),
    (
        "street_approved",
        "approved",
        "district_staff",
        gettext_noop("区级批准"),
        True,
        False,
        False,
        False,
        True,
    ),
    (
        "approved",
        "in_progress",
        "secretary",
        gettext_noop("开始实施"),
        None,
        False,
        False,
        False,
        False,
    ),
    (
        "in_progress",
        "reported",
        "secretary",
        gettext_noop("支出已报齐，申请验收"),
        None,
        False,
        False,
        False,
        False,
    ),
    (
        "reported",
        "accepted",
        "street_officer",
        gettext_noop("验收通过"),
        None,
        False,
        False,
        False,
        False,
    ),
    (
        "reported",
        "in_progress",
        "street_officer",
        gettext_noop("退回补报支出"),
        None,
        False,
        False,
        False,
        False,
    ),
    (
        "accepted",
        "reopened",
        "street_officer",
        gettext_noop("验收后重新打开更正"),
        None,
        False,
        False,
        False,
        False,
    ),
    (
        "published",
        "reopened",
        "street_officer",
        gettext_noop("验收后重新打开更正"),
        None,
        False,
        False,
        False,
        False,
    ),
    (
        "reopened",
        "reported",
        "secretary",
        gettext_noop("更正完毕，申请重新验收"),
        None,
        False,
        False,
        False,
        False,
    ),
    (
        "accepted",
        "published",
        "secretary",
        gettext_noop("公开结果"),
        None,
        False,
        False,
        False,
        False,
    ),
]
for _state in ("proposed", "discussed", "street_reviewed", "on_notice"):
    TRANSITIONS.append(
        (
            _state,
            "refused",
            "street_officer",
            gettext_noop("不予通过"),
            None,
            False,
            False,
            False,
            False,
        )
    )
    TRANSITIONS.append(
        (
            _state,
            "withdrawn",
            "secretary",
            gettext_noop("撤回"),
            None,
            False,
            False,
            False,
            False,
        )
    )
TRANSITIONS += [
    (
        "street_approved",
        "refused",
        "district_staff",
        gettext_noop("区级不予批准"),
        True,
        False,
        False,
        False,
        False,
    ),
    (
        "street_approved",
        "withdrawn",
        "secretary",
        gettext_noop("撤回"),
        True,
        False,
        False,
        False,
        False,
    ),
]
# Rows an earlier release shipped and this one replaces: above the threshold
# the district used to approve straight from the notice (A9: the district
# approves *too*, after the street).
RETIRED_TRANSITIONS = [
    ("on_notice", "approved", "district_staff"),
    ("on_notice", "refused", "district_staff"),
    # Acceptance now follows the secretary's report that spending is complete.
    ("in_progress", "accepted", "street_officer"),
]
# Guards of the steps added with budget control (field -> steps it applies to).
TRANSITION_FLAGS = {
    "requires_expense": [
        ("in_progress", "reported", "secretary"),
        ("reopened", "reported", "secretary"),
    ],
    "checks_spending": [("reported", "accepted", "street_officer")],
    "requires_comment": [
        ("reported", "in_progress", "street_officer"),
        ("accepted", "reopened", "street_officer"),
        ("published", "reopened", "street_officer"),
    ],
}

# Economic classifications of spending (A9): code, name, allowed, rule, order.
EXPENSE_CLASSES = [
    (
        "activity_materials",
        gettext_noop("活动物资"),
        True,
        gettext_noop("为民服务项目开展活动所需的物资，可以使用专项资金"),
        1,
    ),
    (
        "services_bought",
        gettext_noop("购买服务"),
        True,
        gettext_noop("向社会组织或企业购买为民服务，可以使用专项资金"),
        2,
    ),
    (
        "resident_subsidy",
        gettext_noop("困难群众和特殊群体补助慰问"),
        True,
        gettext_noop("对老人、困难居民和困难党员的补助慰问，可以使用专项资金"),
        3,
    ),
    (
        "public_facilities",
        gettext_noop("公共设施维护"),
        True,
        gettext_noop("居民公共设施的维护和更新，可以使用专项资金"),
        4,
    ),
    (
        "publicity",
        gettext_noop("宣传印刷"),
        True,
        gettext_noop("项目公示和宣传资料的印刷，可以使用专项资金"),
        5,
    ),
    (
        "office_supplies",
        gettext_noop("办公用品和办公耗材"),
        False,
        gettext_noop("专项资金不得用于社区办公开支"),
        20,
    ),
    (
        "staff_allowances",
        gettext_noop("工作人员工资福利和津补贴"),
        False,
        gettext_noop("专项资金不得用于工作人员工资福利和其他津补贴"),
        21,
    ),
    (
        "office_premises",
        gettext_noop("社区办公场所建设和改造"),
        False,
        gettext_noop("专项资金不得用于社区办公场所建设和办公条件改善"),
        22,
    ),
    (
        "property_costs",
        gettext_noop("应由物业单位承担的费用"),
        False,
        gettext_noop("专项资金不得用于应由物业单位承担的费用"),
        23,
    ),
    (
        "loan_repayment",
        gettext_noop("偿还借贷款"),
        False,
        gettext_noop("专项资金不得用于偿还借贷款"),
        24,
    ),
]
EXPENSE_CLASSES_FROM = date(2016, 1, 1)
# Expenses recorded before classifications existed get this row; it ended the
# day classifications started, so no new expense can choose it.
LEGACY_EXPENSE_CLASS = (
    "legacy",
    gettext_noop("分类前登记的支出（待复核）"),
    True,
    gettext_noop("经济分类启用前登记，由审核人员复核"),
    99,
)


def reference_data_ensure(
    *,
    policy_model: Any,
    category_model: Any,
    forbidden_model: Any,
    transition_model: Any,
    expense_class_model: Any = None,
) -> None:
    if not policy_model.objects.exists():
        policy_model.objects.create(**POLICY)
    for code, name, description, order in CATEGORIES:
        category_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "description": description, "sort_order": order},
        )
    for code, name, keywords in FORBIDDEN_USES:
        forbidden_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "keywords": keywords,
                "source_note": "专项资金不得列支的范围（演示值）",
            },
        )
    # Older migrations call this with models that lack the newer flags.
    known = {f.name for f in transition_model._meta.get_fields()}
    for order, row in enumerate(TRANSITIONS, 1):
        (source, target, role, label, district, meeting, notice, starts, reserves) = row
        defaults = {
            "label": label,
            "requires_district": district,
            "requires_meeting": meeting,
            "requires_notice_over": notice,
            "starts_notice": starts,
            "reserves_money": reserves,
            "sort_order": order,
        }
        for flag, steps in TRANSITION_FLAGS.items():
            if flag in known:
                defaults[flag] = (source, target, role) in steps
        transition_model.objects.get_or_create(
            from_state=source, to_state=target, role=role, defaults=defaults
        )
    if expense_class_model is not None:
        expense_classes_ensure(expense_class_model)


def expense_classes_ensure(expense_class_model: Any) -> None:
    for code, name, allowed, rule, order in EXPENSE_CLASSES:
        expense_class_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "is_allowed": allowed,
                "rule": rule,
                "effective_on": EXPENSE_CLASSES_FROM,
                "sort_order": order,
            },
        )
    code, name, allowed, rule, order = LEGACY_EXPENSE_CLASS
    expense_class_model.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "is_allowed": allowed,
            "rule": rule,
            "effective_on": date(2000, 1, 1),
            "ends_on": EXPENSE_CLASSES_FROM,
            "sort_order": order,
        },
    )


def reference_data_ensure_current() -> None:
    """The same with the current models (tests, demo, after a flush)."""
    from funding.models import (
        Category,
        ExpenseClass,
        ForbiddenUse,
        FundPolicy,
        Transition,
    )

    for source, target, role in RETIRED_TRANSITIONS:
        Transition.objects.filter(
            from_state=source, to_state=target, role=role
        ).delete()
    reference_data_ensure(
        policy_model=FundPolicy,
        category_model=Category,
        forbidden_model=ForbiddenUse,
        transition_model=Transition,
        expense_class_model=ExpenseClass,
    )


def reference_load() -> None:
    """Called by core's load_reference command."""
    reference_data_ensure_current()

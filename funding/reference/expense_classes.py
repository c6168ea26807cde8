"""The economic classifications of spending (A9), from when they apply, the
legacy row of earlier expenses, and the function that writes them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

# Names are stored in Chinese; gettext_noop puts them in the message catalogue
# so the pages can show the shipped ones in English (names typed in the admin
# are shown as typed).
from django.utils.translation import gettext_noop

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

"""The fund's shipped policy, categories and forbidden uses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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

"""The project workflow's shipped transitions, the rows an earlier release
shipped and this one replaces, and the guards of the budget-control steps.
"""

from __future__ import annotations

# Names are stored in Chinese; gettext_noop puts them in the message catalogue
# so the pages can show the shipped ones in English (names typed in the admin
# are shown as typed).
from django.utils.translation import gettext_noop

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

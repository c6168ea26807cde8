from django.urls import reverse
from django.utils.translation import gettext as _

from core.extensions import NavItem


def nav_items(user) -> list[NavItem]:
    items = []
    if user.has_perm("payroll.view_payrollcycle"):
        items.append(
            NavItem(label=_("工资周期"), url=reverse("payroll:cycle-list"), order=25)
        )
    if user.has_perm("payroll.view_scaleversion"):
        items.append(
            NavItem(label=_("薪酬表"), url=reverse("payroll:scale-list"), order=30)
        )
    return items

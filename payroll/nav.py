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
    from payroll.annuity.selectors import (
        annuity_account_list_visible_to,
        own_membership,
        user_sees_annuity_plan,
    )

    if user_sees_annuity_plan(user):
        items.append(
            NavItem(label=_("企业年金"), url=reverse("payroll:annuity-home"), order=35)
        )
    elif getattr(user, "worker_id", None):
        own = annuity_account_list_visible_to(user=user).first()
        if own is not None or own_membership(user) is not None:
            items.append(
                NavItem(
                    label=_("我的企业年金"),
                    url=reverse("payroll:annuity-home"),
                    order=35,
                )
            )
    return items

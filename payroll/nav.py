from django.urls import reverse
from django.utils.translation import gettext as _

from core.extensions import NavItem


def nav_items(user) -> list[NavItem]:
    if not user.has_perm("payroll.view_scaleversion"):
        return []
    return [NavItem(label=_("薪酬表"), url=reverse("payroll:scale-list"), order=30)]

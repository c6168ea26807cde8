from django.urls import reverse
from django.utils.translation import gettext as _

from core.extensions import NavItem


def nav_items(user) -> list[NavItem]:
    if not user.has_perm("ratings.view_annualgrade"):
        return []
    return [NavItem(label=_("考核与星级"), url=reverse("ratings:grade-list"), order=40)]

from django.urls import reverse
from django.utils.translation import gettext as _

from core.extensions import NavItem


def nav_items(user):
    return [
        NavItem(label=_("为民服务资金"), url=reverse("funding:desk"), order=60),
        NavItem(label=_("资金报表"), url=reverse("funding:report"), order=61),
    ]

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.extensions import HomeCard
from payroll.selectors import scale_version_in_force


def home_cards(user) -> list[HomeCard]:
    if not user.has_perm("payroll.view_scaleversion"):
        return []
    version = scale_version_in_force(timezone.localdate())
    return [
        HomeCard(
            title=_("薪酬表"),
            body=_("现行：%(name)s") % {"name": version.name}
            if version
            else _("尚无已启用的薪酬表。"),
            url=reverse("payroll:scale-list"),
            link_text=_("查看薪酬表"),
            order=30,
        )
    ]

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.extensions import HomeCard
from payroll.selectors import scale_version_in_force


def home_cards(user) -> list[HomeCard]:
    cards = _annuity_cards(user)
    if not user.has_perm("payroll.view_scaleversion"):
        return cards
    version = scale_version_in_force(timezone.localdate())
    return [
        *cards,
        HomeCard(
            title=_("薪酬表"),
            body=_("现行：%(name)s") % {"name": version.name}
            if version
            else _("尚无已启用的薪酬表。"),
            url=reverse("payroll:scale-list"),
            link_text=_("查看薪酬表"),
            order=30,
        ),
    ]


def _annuity_cards(user) -> list[HomeCard]:
    from payroll.annuity_selectors import user_sees_annuity_plan
    from payroll.models import AnnuityPlan
    from payroll.services.annuity import memberships_active_on

    plan = AnnuityPlan.objects.order_by("pk").first()
    if plan is None or not user_sees_annuity_plan(user):
        return []
    members = memberships_active_on(plan, timezone.localdate()).count()
    return [
        HomeCard(
            title=_("企业年金"),
            body=_("%(plan)s：当前成员 %(n)s 人") % {"plan": plan.name, "n": members},
            url=reverse("payroll:annuity-home"),
            link_text=_("查看企业年金"),
            order=35,
        )
    ]

from django.urls import reverse
from django.utils.translation import gettext as _

from core import clock
from core.extensions import HomeCard
from payroll.scales.selectors import scale_version_in_force


def home_cards(user) -> list[HomeCard]:
    cards = _annuity_cards(user)
    if user.has_perm("payroll.view_payrollcycle"):
        cards.append(_cycle_card(user))
    if user.has_perm("payroll.view_scaleversion"):
        version = scale_version_in_force(clock.today())
        cards.append(
            HomeCard(
                title=_("薪酬表"),
                body=_("现行：%(name)s") % {"name": version.name}
                if version
                else _("尚无已启用的薪酬表。"),
                url=reverse("payroll:scale-list"),
                link_text=_("查看薪酬表"),
                order=30,
            )
        )
    return cards


def _cycle_card(user) -> HomeCard:
    """What payroll work waits: this month's cycle, and cycles to approve."""
    from payroll.cycles.selectors import payroll_cycle_list_visible_to
    from payroll.cycles.services import user_runs_cycles

    today = clock.today()
    visible = payroll_cycle_list_visible_to(user=user)
    current = visible.filter(year=today.year, month=today.month).exclude(
        status="cancelled"
    )
    to_approve = visible.filter(status="computed").exclude(computed_by=user)
    to_lock = visible.filter(status="approved")
    if current.exists():
        body = "；".join(
            f"{cycle}：{cycle.get_status_display()}" for cycle in current[:3]
        )
    else:
        body = _("本月（%(period)s）尚未开始计算工资。") % {
            "period": f"{today.year}-{today.month:02d}"
        }
    figures = ()
    if user_runs_cycles(user):
        figures = (
            (_("待我审核"), to_approve.count()),
            (_("待锁定发放"), to_lock.count()),
        )
    return HomeCard(
        title=_("工资周期"),
        body=body,
        url=reverse("payroll:cycle-list"),
        link_text=_("进入工资周期"),
        order=20,
        figures=figures,
    )


def _annuity_cards(user) -> list[HomeCard]:
    from payroll.annuity.selectors import memberships_active_on, user_sees_annuity_plan
    from payroll.models import AnnuityPlan

    plan = AnnuityPlan.objects.order_by("pk").first()
    if plan is None or not user_sees_annuity_plan(user):
        return []
    members = memberships_active_on(plan, clock.today()).count()
    return [
        HomeCard(
            title=_("企业年金"),
            body=_("%(plan)s：当前成员 %(n)s 人") % {"plan": plan.name, "n": members},
            url=reverse("payroll:annuity-home"),
            link_text=_("查看企业年金"),
            order=35,
        )
    ]

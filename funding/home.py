from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import clock
from core.decimals import sum_amounts
from core.extensions import HomeCard
from core.models import Role
from core.money import format_money
from funding import selectors


def home_cards(user):
    today = clock.today()
    years = list(selectors.fund_year_list_visible_to(user=user).filter(year=today.year))
    figures = selectors.fund_year_figures_many(years).values()
    if getattr(user, "role", "") == Role.AUDITOR or not selectors.role_acts_on_projects(
        getattr(user, "role", "")
    ):
        # A role with no step on projects (auditor, finance, administrator):
        # say what there is to read, not that nothing waits for it.
        body = _("本年度 %(n)s 个资金年度可供查阅") % {"n": len(years)}
    else:
        waiting = selectors.projects_waiting_for(user=user, today=today)
        body = ngettext(
            "%(n)s 个项目等待您办理", "%(n)s 个项目等待您办理", len(waiting)
        ) % {"n": len(waiting)}
    return [
        HomeCard(
            title=_("为民服务专项资金 %(year)s") % {"year": today.year},
            body=body,
            url=reverse("funding:desk"),
            link_text=_("进入资金工作台"),
            order=60,
            figures=(
                (
                    _("可用（元）"),
                    format_money(sum_amounts(f.available for f in figures)),
                ),
                (
                    _("已支出（元）"),
                    format_money(sum_amounts(f.spent for f in figures)),
                ),
            ),
        )
    ]

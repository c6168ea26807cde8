"""The payroll panel of the worker page: level history and a month's pay."""

from __future__ import annotations

import re
from typing import Any

from core import clock
from core.extensions import Panel
from core.selectors import user_can_edit_roster
from payroll.annuity.selectors import annuity_account_list_visible_to
from payroll.cycles.selectors import payslip_list_visible_to
from payroll.explain.month import explain_month
from payroll.models import AnnuityMembership, LevelChange


def _month(request: Any) -> tuple[int, int]:
    today = clock.today()
    match = re.fullmatch(r"(\d{4})-(\d{2})", request.GET.get("pay_month", ""))
    if match and 1 <= int(match.group(2)) <= 12 and 2000 <= int(match.group(1)) <= 2100:
        return int(match.group(1)), int(match.group(2))
    return today.year, today.month


def worker_panels(request: Any, worker: Any) -> list[Panel]:
    year, month = _month(request)
    history = (
        LevelChange.objects.filter(worker=worker)
        .select_related("post", "old_post", "actor", "scale_version")
        .order_by("-effective_on", "-id")
    )
    pay = explain_month(worker, year, month)
    user = request.user
    payslips = (
        payslip_list_visible_to(user=user)
        .filter(worker=worker)
        .order_by("-year", "-month", "-id")[:24]
    )
    panels = [
        Panel(
            template="payroll/includes/worker_panel.html",
            context={
                "history": history,
                "pay": pay,
                "pay_month": f"{year:04d}-{month:02d}",
                "can_place": user.has_perm("payroll.add_levelchange")
                and user_can_edit_roster(user),
                "worker": worker,
                "payslips": payslips,
            },
            order=20,
        )
    ]
    memberships = list(
        AnnuityMembership.objects.filter(worker=worker).order_by("started_on")
    )
    if memberships:
        account = (
            annuity_account_list_visible_to(user=user).filter(worker=worker).first()
        )
        panels.append(
            Panel(
                template="payroll/includes/worker_annuity_panel.html",
                context={"memberships": memberships, "account": account},
                order=25,
            )
        )
    return panels

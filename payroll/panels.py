"""The payroll panel of the worker page: level history and a month's pay."""

from __future__ import annotations

import random
import re
from typing import Any

from core import clock
from core.extensions import Panel
from core.selectors import user_can_edit_roster
from payroll.annuity.selectors import annuity_account_list_visible_to
from payroll.cycles.selectors import payslip_list_visible_to
from payroll.explain.month import explain_month
from payroll.models import AnnuityMembership, LevelChange, OpeningBalance


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
    # Opening year-to-date figures of a mid-year start (DOMAIN A7): tax data,
    # for those who may read them (the page itself is scoped).
    openings = (
        OpeningBalance.objects.filter(worker=worker).order_by("-year")
        if user.has_perm("payroll.view_openingbalance")
        else OpeningBalance.objects.none()
    )
    from payroll.previews import worker_level_check

    level_check = worker_level_check(worker)
    panels = [
        Panel(
            template="payroll/includes/worker_panel.html",
            context={
                "level_check": level_check
                if level_check is not None and level_check.differs
                else None,
                "history": history,
                "pay": pay,
                "pay_month": f"{year:04d}-{month:02d}",
                "can_place": user.has_perm("payroll.add_levelchange")
                and user_can_edit_roster(user),
                "worker": worker,
                "payslips": payslips,
                "openings": openings,
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


# The auditor's sample: at most this many payslips at once.
SAMPLE_MAX = 50
SAMPLE_DEFAULT = 10


def _int(value: Any, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))


def payslip_sample(payslips: Any, *, size: int, seed: int) -> list[Any]:
    """``size`` payslips drawn at random with ``seed``: the same seed over the
    same cycle draws the same payslips, so a check can be repeated."""
    ids = sorted(payslips.values_list("pk", flat=True))
    chosen = random.Random(seed).sample(ids, min(size, len(ids)))
    by_id = payslips.select_related("worker", "community").in_bulk(chosen)
    return [by_id[pk] for pk in chosen]


def desk_panels(request: Any) -> list[Panel]:
    """The auditor's desk: cycles with who computed, approved and locked them,
    and a seeded random sample of one cycle's payslips with derivations."""
    from core.models import Post
    from payroll.cycles.selectors import payroll_cycle_list_visible_to
    from payroll.explain import sentences

    user = request.user
    cycles = list(
        payroll_cycle_list_visible_to(user=user)
        .select_related(
            "district", "created_by", "computed_by", "approved_by", "locked_by"
        )
        .order_by("-year", "-month", "scope_key")[:24]
    )
    if not cycles:
        return []
    chosen = None
    wanted = request.GET.get("sample_cycle")
    if wanted:
        chosen = next((c for c in cycles if str(c.pk) == wanted), None)
    size = _int(request.GET.get("sample_size"), SAMPLE_DEFAULT, 1, SAMPLE_MAX)
    seed = _int(request.GET.get("sample_seed"), 0, 0, 10**9)
    if chosen is not None and not request.GET.get("sample_seed"):
        seed = random.SystemRandom().randrange(1, 10**6)
    sample = []
    if chosen is not None:
        post_names = {p.code: p.label for p in Post.objects.all()}
        payslips = payslip_list_visible_to(user=user).filter(cycle=chosen)
        for payslip in payslip_sample(payslips, size=size, seed=seed):
            sample.append(
                {
                    "payslip": payslip,
                    "lines": [
                        {
                            "name": sentences.line_name(line.code),
                            "line": line,
                            "derivation": sentences.derivation(line, post_names),
                        }
                        for line in payslip.pay_lines()
                    ],
                }
            )
    return [
        Panel(
            template="payroll/includes/desk_cycles.html",
            context={
                "cycles": cycles,
                "chosen": chosen,
                "size": size,
                "seed": seed,
                "sample": sample,
            },
            order=20,
        )
    ]

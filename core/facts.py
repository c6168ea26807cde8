"""Core's part of the worker page's "facts on a day" (DOMAIN A11): employed
or not, the positions held and the certificates obtained by then."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from core.extensions import Fact


def worker_facts(worker: Any, on: date) -> list[Fact]:
    if on < worker.joined_on:
        employed = Fact(
            _("在职"), _("尚未入职（%(day)s 入职）") % {"day": worker.joined_on}
        )
    elif worker.left_on and on > worker.left_on:
        employed = Fact(_("在职"), _("已离职"), since=worker.left_on)
    else:
        employed = Fact(_("在职"), _("在职"), since=worker.joined_on)
    positions = [
        p
        for p in worker.positions.all()
        if p.started_on <= on and (p.ended_on is None or p.ended_on > on)
    ]
    certificates = [c for c in worker.certificates.all() if c.obtained_on <= on]
    best = max(certificates, key=lambda c: c.obtained_on, default=None)
    return [
        Fact(employed.label, employed.value, since=employed.since, order=10),
        Fact(
            _("职务"),
            "、".join(p.get_position_display() for p in positions) or "—",
            since=max((p.started_on for p in positions), default=None),
            order=30,
        ),
        Fact(
            _("社工证书"),
            "、".join(c.get_kind_display() for c in certificates) or "—",
            since=best.obtained_on if best else None,
            order=35,
        ),
    ]

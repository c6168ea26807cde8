"""The ratings panel of the worker page: her grades and star ratings."""

from __future__ import annotations

from typing import Any

from core.extensions import Panel
from ratings.models import AnnualGrade, StarRating


def worker_panels(request: Any, worker: Any) -> list[Panel]:
    user = request.user
    if not user.has_perm("ratings.view_annualgrade"):
        return []
    return [
        Panel(
            template="ratings/includes/worker_ratings_panel.html",
            context={
                "worker": worker,
                "grades": AnnualGrade.objects.filter(worker=worker).order_by("-year"),
                "stars": StarRating.objects.filter(worker=worker).order_by("-rated_on"),
                "can_enter": user.has_perm("ratings.add_annualgrade"),
            },
            order=30,
        )
    ]

"""Funding's part of the auditor's desk: the year's projects with every
transition (who, when, from what to what), and the bulk statements."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from core import clock
from core.extensions import Panel
from funding import selectors
from funding.models import ProjectEvent

# The desk shows the latest projects; the full list is the fund pages.
DESK_PROJECTS = 30


def desk_panels(request: Any) -> list[Panel]:
    user = request.user
    year = clock.today().year
    projects = (
        selectors.project_list_visible_to(user=user)
        .filter(fund_year__year=year)
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ProjectEvent.objects.select_related("actor").order_by(
                    "at", "id"
                ),
            )
        )
        .order_by("-state_changed_at")[:DESK_PROJECTS]
    )
    return [
        Panel(
            template="funding/includes/desk_projects.html",
            context={"projects": projects, "year": year},
            order=60,
        )
    ]

"""The project workflow as a user meets it: the transitions open to her, what
waits for her (projects and budget changes), and the next step's label.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.models import Role
from core.selectors import UserOrAnonymous
from funding.models import (
    SPENDING_STATES,
    BudgetChange,
    FundYear,
    Project,
    ProjectState,
    Transition,
)

from .scope import project_list_visible_to


def budget_changes_waiting_for(*, user: UserOrAnonymous) -> QuerySet[BudgetChange]:
    """Budget changes the user's role decides now, in scope, oldest first."""
    if not user.is_authenticated:
        return BudgetChange.objects.none()
    if user.role == Role.STREET_OFFICER:
        status = BudgetChange.Status.SUBMITTED
    elif user.role == Role.DISTRICT_STAFF:
        status = BudgetChange.Status.STREET_APPROVED
    else:
        return BudgetChange.objects.none()
    projects = (
        project_list_visible_to(user=user)
        .filter(state__in=SPENDING_STATES, fund_year__status=FundYear.Status.OPEN)
        .values("pk")
    )
    return (
        BudgetChange.objects.filter(status=status, project__in=projects)
        .select_related("project__fund_year__community")
        .order_by("proposed_at", "id")
    )


def transition_applies(transition: Transition, project: Project) -> bool:
    return (
        transition.requires_district is None
        or transition.requires_district == project.needs_district
    )


def transitions_for(*, user: UserOrAnonymous, project: Project) -> list[Transition]:
    """The steps this user's role may take on the project now (scope aside)."""
    if not user.is_authenticated:
        return []
    candidates = Transition.objects.filter(from_state=project.state, role=user.role)
    return [t for t in candidates if transition_applies(t, project)]


@dataclass
class WaitingItem:
    project: Project
    transitions: list[Transition]
    waiting_since: datetime | None
    blocked: str = ""


def role_acts_on_projects(role: str) -> bool:
    """Whether a role has any step in the projects' workflow (the dated
    transitions say who moves a project on)."""
    return Transition.objects.filter(role=role).exists()


def projects_waiting_for(*, user: UserOrAnonymous, today: date) -> list[WaitingItem]:
    """Projects in scope on which the user's role has a forward step, oldest
    first. Refusal and withdrawal alone do not count as waiting."""
    if not user.is_authenticated:
        return []
    forward = [
        t
        for t in Transition.objects.filter(role=user.role)
        if t.to_state not in (ProjectState.REFUSED, ProjectState.WITHDRAWN)
    ]
    states = {t.from_state for t in forward}
    items = []
    projects = project_list_visible_to(user=user).filter(
        state__in=states, fund_year__status=FundYear.Status.OPEN
    )
    for project in projects.order_by("state_changed_at", "pk"):
        steps = [
            t
            for t in forward
            if t.from_state == project.state and transition_applies(t, project)
        ]
        if not steps:
            continue
        blocked = ""
        if (
            any(t.requires_notice_over for t in steps)
            and project.notice_started_on
            and today <= (project.notice_ends_on or today)
        ):
            blocked = _("公示至 %(day)s") % {"day": project.notice_ends_on}
        items.append(
            WaitingItem(
                project=project,
                transitions=steps,
                waiting_since=project.state_changed_at,
                blocked=blocked,
            )
        )
    return items


def next_step_label(
    project: Project, transitions: list[Transition] | None = None
) -> str:
    """What happens next to a project, in words, for the desks."""
    if transitions is None:
        transitions = list(Transition.objects.filter(from_state=project.state))
    steps = [
        t
        for t in transitions
        if t.from_state == project.state
        and t.to_state not in (ProjectState.REFUSED, ProjectState.WITHDRAWN)
        and transition_applies(t, project)
    ]
    if not steps:
        return ""
    roles = dict(Role.choices)
    return _("；").join(
        _("%(role)s：%(step)s")
        % {"role": roles.get(t.role, t.role), "step": _(t.label)}
        for t in steps
    )

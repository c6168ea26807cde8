"""Reads of the fund. Scope always comes from core.selectors.

Printed totals are Python sums over rows (SQLite keeps decimals as floats).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.decimals import ZERO, sum_amounts
from core.models import Role, User
from core.money import decimal_of
from core.selectors import UserOrAnonymous, scope_filter
from funding import rules
from funding.models import (
    BUDGETED_STATES,
    RESERVING_STATES,
    SPENDING_STATES,
    BudgetChange,
    Category,
    CouncilMeeting,
    Expense,
    ExpenseClass,
    ForbiddenUse,
    FundPolicy,
    FundYear,
    Project,
    ProjectState,
    StoredFile,
    Transition,
)

# Roles that set up and close fund years and import allocations (in scope).
FUND_ADMIN_ROLES = {Role.ADMIN, Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.FINANCE}
NO_POLICY = gettext_lazy("尚未设置资金政策参数，请在管理后台添加。")
KEYWORD_WARNING = gettext_lazy(
    "请核实：内容涉及“%(keyword)s”，可能属于“%(use)s”（专项资金禁止此类用途）。"
)


class PolicyMissing(LookupError):
    pass


def policy_on(day: date) -> FundPolicy:
    """The fund policy in force on ``day`` (the newest row not after it)."""
    policy = (
        FundPolicy.objects.filter(effective_on__lte=day)
        .order_by("-effective_on")
        .first()
    )
    if policy is None:
        raise PolicyMissing(str(NO_POLICY))
    return policy


def forbidden_use_rules() -> list[rules.ForbiddenUse]:
    return [use.as_rule() for use in ForbiddenUse.objects.filter(is_active=True)]


def category_list() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True)


def expense_class_list(day: date) -> QuerySet[ExpenseClass]:
    """The classifications an expense paid on ``day`` may name."""
    return ExpenseClass.objects.filter(effective_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=day)
    )


def keyword_warnings(
    texts: list[str], uses: list[rules.ForbiddenUse] | None = None
) -> list[str]:
    """Warnings for the reviewer when a text mentions a forbidden use's words.

    Words never decide (a 补贴 to an elderly resident's meals is allowed); the
    classification does. The reviewer reads these before approving. Pass
    ``uses`` when checking many texts, to read the list once.
    """
    if uses is None:
        uses = forbidden_use_rules()
    return [
        str(KEYWORD_WARNING % {"keyword": keyword, "use": _(use.name)})
        for use, keyword in rules.forbidden_uses_in(texts, uses)
    ]


# Scope ----------------------------------------------------------------------


def fund_year_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[FundYear]:
    return scope_filter(
        FundYear.objects.select_related("community__street__district"), user
    )


def fund_year_list_search(
    queryset: QuerySet[FundYear],
    *,
    year: int | None = None,
    q: str = "",
    district: str = "",
    street: str = "",
    community: str = "",
    status: str = "",
) -> QuerySet[FundYear]:
    """Fund years by year, community (name or code), place and status."""
    if year:
        queryset = queryset.filter(year=year)
    if q.strip():
        text = q.strip()
        queryset = queryset.filter(
            Q(community__name__icontains=text) | Q(community__code__icontains=text)
        )
    if district:
        queryset = queryset.filter(community__street__district__code=district)
    if street:
        queryset = queryset.filter(community__street__code=street)
    if community:
        queryset = queryset.filter(community__code=community)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def project_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[Project]:
    return scope_filter(
        Project.objects.select_related(
            "fund_year__community__street__district", "category", "proposed_by"
        ),
        user,
        "fund_year__community",
    )


def expense_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[Expense]:
    return scope_filter(
        Expense.objects.select_related("project__fund_year__community"),
        user,
        "project__fund_year__community",
    )


def stored_file_visible_to(*, user: UserOrAnonymous) -> QuerySet[StoredFile]:
    expenses = scope_filter(
        Expense.objects.all(), user, "project__fund_year__community"
    ).values("pk")
    meetings = scope_filter(
        CouncilMeeting.objects.all(), user, "project__fund_year__community"
    ).values("pk")
    return StoredFile.objects.filter(
        Q(expense__in=expenses) | Q(meeting__in=meetings)
    ).select_related("expense__project", "meeting__project")


def user_administers_funds(user: UserOrAnonymous) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in FUND_ADMIN_ROLES)
    )


# Figures --------------------------------------------------------------------


def _spent_by_project(project_ids: list[int]) -> dict[int, Decimal]:
    spent: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for project_id, amount in Expense.objects.filter(
        project_id__in=project_ids
    ).values_list("project_id", "amount"):
        spent[project_id] += amount
    return spent


def fund_year_figures_many(
    fund_years: list[FundYear],
) -> dict[int, rules.Figures]:
    """Figures of many fund years in two queries."""
    ids = [fy.pk for fy in fund_years]
    projects = list(
        Project.objects.filter(fund_year_id__in=ids).values_list(
            "pk", "fund_year_id", "state", "reserved"
        )
    )
    spent = _spent_by_project([p[0] for p in projects])
    committed: dict[int, Decimal] = defaultdict(lambda: ZERO)
    year_spent: dict[int, Decimal] = defaultdict(lambda: ZERO)
    over: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for pk, fund_year_id, state, reserved in projects:
        year_spent[fund_year_id] += spent[pk]
        if state in RESERVING_STATES:
            committed[fund_year_id] += rules.outstanding_commitment(reserved, spent[pk])
        if state in BUDGETED_STATES:
            over[fund_year_id] += rules.project_over_approved(
                approved=reserved, spent=spent[pk]
            )
    return {
        fy.pk: rules.fund_figures(
            allocation=decimal_of(fy.allocation),
            carried_in=fy.carried_in,
            committed=committed[fy.pk],
            spent=year_spent[fy.pk],
            over_approved=over[fy.pk],
        )
        for fy in fund_years
    }


def fund_year_figures(fund_year: FundYear) -> rules.Figures:
    return fund_year_figures_many([fund_year])[fund_year.pk]


def project_spent(project: Project) -> Decimal:
    return sum_amounts(project.expenses.values_list("amount", flat=True))


def project_outstanding(project: Project) -> Decimal:
    if project.state not in RESERVING_STATES:
        return ZERO
    return rules.outstanding_commitment(project.reserved, project_spent(project))


def project_over_approved(project: Project, spent: Decimal | None = None) -> Decimal:
    """Spending above the approved amount (0 before approval)."""
    if project.state not in BUDGETED_STATES:
        return ZERO
    if spent is None:
        spent = project_spent(project)
    return rules.project_over_approved(approved=project.reserved, spent=spent)


@dataclass
class BudgetVersion:
    number: int
    amount: Decimal
    previous: Decimal | None
    at: datetime | None
    by: User | None
    reason: str
    change: BudgetChange | None = None


def budget_versions(project: Project) -> list[BudgetVersion]:
    """Every approved amount of a project, oldest first: the approval, then
    each approved budget change (pending and refused changes are listed
    separately, on the project page)."""
    approval = (
        project.events.filter(
            to_state="approved", from_state__in=["on_notice", "street_approved"]
        )
        .select_related("actor")
        .order_by("at", "id")
        .first()
    )
    changes = list(
        project.budget_changes.filter(status=BudgetChange.Status.APPROVED)
        .select_related("decided_by")
        .order_by("decided_at", "id")
    )
    if approval is None and not changes and project.carried_from_id is None:
        return []
    first_amount = changes[0].previous_amount if changes else project.reserved
    versions = [
        BudgetVersion(
            number=1,
            amount=first_amount,
            previous=None,
            at=approval.at if approval else None,
            by=approval.actor if approval else None,
            reason=approval.comment
            if approval
            else str(CARRIED_IN_VERSION)
            if project.carried_from_id
            else "",
        )
    ]
    for change in changes:
        versions.append(
            BudgetVersion(
                number=len(versions) + 1,
                amount=decimal_of(change.new_amount),
                previous=change.previous_amount,
                at=change.decided_at,
                by=change.decided_by,
                reason=change.reason,
                change=change,
            )
        )
    return versions


CARRIED_IN_VERSION = gettext_lazy("由上年度结转的剩余批准金额")


def pending_budget_change(project: Project) -> BudgetChange | None:
    return (
        project.budget_changes.filter(
            status__in=[
                BudgetChange.Status.SUBMITTED,
                BudgetChange.Status.STREET_APPROVED,
            ]
        )
        .order_by("-id")
        .first()
    )


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


@dataclass
class ClosingItem:
    project: Project
    spent: Decimal
    remaining: Decimal
    carries: bool


# Settled projects: closing a year leaves them as they are.
SETTLED_STATES = (
    ProjectState.ACCEPTED,
    ProjectState.PUBLISHED,
    ProjectState.CARRIED,
    ProjectState.LAPSED,
    ProjectState.REFUSED,
    ProjectState.WITHDRAWN,
)


def closing_outlook(fund_year: FundYear) -> list[ClosingItem]:
    """What closing the year would do to each unfinished project: carried
    with its remaining commitment when the street agreed, otherwise lapsed."""
    projects = list(
        fund_year.projects.exclude(state__in=SETTLED_STATES).select_related("category")
    )
    spent = _spent_by_project([p.pk for p in projects])
    items = []
    for project in projects:
        reserving = project.state in RESERVING_STATES
        items.append(
            ClosingItem(
                project=project,
                spent=spent[project.pk],
                remaining=rules.outstanding_commitment(
                    project.reserved, spent[project.pk]
                )
                if reserving
                else ZERO,
                carries=reserving and project.carry_forward == "approved",
            )
        )
    return items


@dataclass
class AcceptanceLine:
    expense: Expense
    running: Decimal
    remaining: Decimal
    warnings: list[str]


def acceptance_lines(project: Project) -> list[AcceptanceLine]:
    """Each expense against the approved amount, with the running total and
    what remains after it, and the reviewer's keyword warnings."""
    lines = []
    running = ZERO
    uses = forbidden_use_rules()
    for expense in project.expenses.select_related("classification").order_by(
        "paid_on", "id"
    ):
        running += decimal_of(expense.amount)
        lines.append(
            AcceptanceLine(
                expense=expense,
                running=running,
                remaining=project.reserved - running,
                warnings=[]
                if expense.is_reversal
                else keyword_warnings([expense.description, expense.payee], uses),
            )
        )
    return lines


# States before approval: the project reserves nothing yet.
PENDING_STATES = (
    ProjectState.PROPOSED,
    ProjectState.DISCUSSED,
    ProjectState.STREET_REVIEWED,
    ProjectState.ON_NOTICE,
    ProjectState.STREET_APPROVED,
)


def project_exceeds_available(project: Project) -> Decimal | None:
    """The fund's available money when a pending project's budget is above it
    (A9: warned about when saved, refused when approved); None otherwise."""
    if project.state not in PENDING_STATES:
        return None
    available = fund_year_figures(project.fund_year).available
    if rules.approval_fits(available, decimal_of(project.estimated_cost)):
        return None
    return available


# Transitions ----------------------------------------------------------------


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


def project_rows(fund_year: FundYear) -> list[dict[str, object]]:
    """The projects of a fund year with spending and next step, in 3 queries."""
    projects = list(fund_year.projects.select_related("category"))
    spent = _spent_by_project([p.pk for p in projects])
    transitions = list(Transition.objects.all())
    return [
        {
            "project": project,
            "spent": spent[project.pk],
            "over": rules.project_over_approved(
                approved=project.reserved, spent=spent[project.pk]
            )
            if project.state in BUDGETED_STATES
            else ZERO,
            "next": next_step_label(project, transitions),
        }
        for project in projects
    ]


# Reports --------------------------------------------------------------------


def _by_classification(years: list[FundYear]) -> list[BudgetRow]:
    """Spending by economic classification (net of reversals), in list order."""
    rows: dict[int, BudgetRow] = {}
    expenses = Expense.objects.filter(
        project__fund_year__in=[fy.pk for fy in years]
    ).select_related("classification")
    for expense in expenses:
        kind = expense.classification
        row = rows.setdefault(
            kind.pk,
            BudgetRow(
                label=_(kind.name),
                extra={
                    "order": (kind.sort_order, kind.code),
                    "is_allowed": kind.is_allowed,
                    "count": 0,
                },
            ),
        )
        row.actual += decimal_of(expense.amount)
        if not expense.is_reversal:
            row.extra["count"] += 1
    return sorted(rows.values(), key=lambda r: r.extra["order"])


@dataclass
class BudgetRow:  # type: ignore[explicit-any]  # its `extra`, below
    label: str
    budget: Decimal = ZERO
    actual: Decimal = ZERO
    # What each report adds to its rows (counts, codes, figures): still a bag
    # for the templates; one row type per report would type it.
    extra: dict[str, Any] = field(default_factory=dict)  # type: ignore[explicit-any]
    # Spending above approved amounts, project by project (never netted
    # against another project's unspent money).
    over: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.actual


@dataclass
class BudgetReport:
    fund_years: list[FundYear]
    figures: dict[int, rules.Figures]
    by_area: list[BudgetRow]
    area_level: str
    by_community: list[BudgetRow]
    by_category: list[BudgetRow]
    by_project: list[BudgetRow]
    by_classification: list[BudgetRow]
    totals: rules.Figures
    budget_total: Decimal
    actual_total: Decimal

    @property
    def funds_total(self) -> Decimal:
        return self.totals.allocation + self.totals.carried_in

    @property
    def remaining_total(self) -> Decimal:
        return self.budget_total - self.actual_total

    @property
    def area_label(self) -> str:
        return str(AREA_LEVELS[self.area_level][0]) if self.area_level else ""

    @property
    def area_heading(self) -> str:
        return str(AREA_LEVELS[self.area_level][1]) if self.area_level else ""


# Column label and heading of the area table, by level.
AREA_LEVELS = {
    "district": (gettext_lazy("区"), gettext_lazy("按区")),
    "street": (gettext_lazy("街道"), gettext_lazy("按街道")),
}


def _by_area(
    years: list[FundYear], figures: dict[int, rules.Figures]
) -> tuple[str, list[BudgetRow]]:
    """Totals one level below the report's scope: by district for the city, by
    street for a district; ("", []) when the scope is a single street."""
    districts = {fy.community.street.district_id for fy in years}
    streets = {fy.community.street_id for fy in years}
    if len(districts) > 1:
        level = "district"
    elif len(streets) > 1:
        level = "street"
    else:
        return "", []
    rows: dict[int, BudgetRow] = {}
    for fy in years:
        area = (
            fy.community.street.district if level == "district" else fy.community.street
        )
        row = rows.setdefault(
            area.pk,
            BudgetRow(
                label=area.name,
                extra={
                    "code": area.code,
                    "communities": 0,
                    "committed": ZERO,
                    "available": ZERO,
                },
            ),
        )
        f = figures[fy.pk]
        row.budget += f.allocation + f.carried_in
        row.actual += f.spent
        row.extra["committed"] += f.committed
        row.extra["available"] += f.available
        row.extra["communities"] += 1
    return level, sorted(rows.values(), key=lambda r: r.extra["code"])


def budget_report(fund_years: QuerySet[FundYear]) -> BudgetReport:
    """Budget against actual by community, category and project."""
    years = list(fund_years.select_related("community__street__district"))
    figures = fund_year_figures_many(years)
    projects = list(
        Project.objects.filter(
            fund_year__in=[fy.pk for fy in years], state__in=BUDGETED_STATES
        )
        .select_related("category", "fund_year__community")
        .order_by("fund_year__community__code", "category__sort_order", "pk")
    )
    spent = _spent_by_project([p.pk for p in projects])
    categories = {c.pk: BudgetRow(label=_(c.name)) for c in Category.objects.all()}
    by_project = []
    for project in projects:
        over = rules.project_over_approved(
            approved=project.reserved, spent=spent[project.pk]
        )
        row = categories[project.category_id]
        row.budget += project.reserved
        row.actual += spent[project.pk]
        row.over += over
        by_project.append(
            BudgetRow(
                label=project.title,
                budget=project.reserved,
                actual=spent[project.pk],
                over=over,
                extra={
                    "project": project,
                    "community": project.fund_year.community.name,
                    "category": _(project.category.name),
                    "state": project.get_state_display(),
                },
            )
        )
    by_community = []
    for fy in years:
        f = figures[fy.pk]
        by_community.append(
            BudgetRow(
                label=fy.community.name,
                budget=f.allocation + f.carried_in,
                actual=f.spent,
                over=f.over_approved,
                extra={"fund_year": fy, "figures": f},
            )
        )
    totals = rules.fund_figures(
        allocation=sum_amounts(f.allocation for f in figures.values()),
        carried_in=sum_amounts(f.carried_in for f in figures.values()),
        committed=sum_amounts(f.committed for f in figures.values()),
        spent=sum_amounts(f.spent for f in figures.values()),
        over_approved=sum_amounts(f.over_approved for f in figures.values()),
    )
    category_rows = [r for r in categories.values() if r.budget or r.actual]
    area_level, by_area = _by_area(years, figures)
    return BudgetReport(
        fund_years=years,
        figures=figures,
        by_area=by_area,
        area_level=area_level,
        by_community=by_community,
        by_category=category_rows,
        by_project=by_project,
        by_classification=_by_classification(years),
        totals=totals,
        budget_total=sum_amounts(r.budget for r in category_rows),
        actual_total=sum_amounts(r.actual for r in category_rows),
    )

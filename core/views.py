"""Pages of core: home, workers, communities, roster import and export."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import clock, exports, extensions, history
from core.charts import stack_chart
from core.forms import CommunityFilterForm, WorkerFilterForm
from core.http import AuthenticatedHttpRequest
from core.import_flow import import_flow
from core.listing import listing
from core.models import Role, Worker
from core.resources import WorkerResource
from core.rules import (
    centre_meets_standard,
    centre_required_area,
    mask_account,
    mask_citizen_id,
)
from core.selectors import (
    centre_standard_on,
    community_list_search,
    community_list_visible_to,
    district_list_visible_to,
    street_list_visible_to,
    user_can_edit_roster,
    user_can_issue_worker_logins,
    user_sees_full_bank,
    user_sees_full_id,
    worker_list_search,
    worker_list_visible_to,
    workforce_by_level_and_post,
)


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.AUDITOR:
        from core.documents.views import desk

        return desk(request)
    workers = worker_list_visible_to(user=user)
    context = {
        "cards": extensions.home_cards(user),
        "worker_count": workers.filter(status=Worker.Status.ACTIVE).count(),
        "community_count": community_list_visible_to(user=user).count(),
        "can_edit_roster": user_can_edit_roster(user),
    }
    return render(request, "core/home.html", context)


@login_required
def worker_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = WorkerFilterForm(
        request.GET or None,
        districts=district_list_visible_to(user=user),
        streets=street_list_visible_to(user=user),
        communities=community_list_visible_to(user=user),
    )
    workers = worker_list_visible_to(user=user)
    if form.is_valid():
        data = form.cleaned_data
        workers = worker_list_search(
            workers,
            text=data["q"].strip(),
            district=data["district"],
            street=data["street"],
            community=data["community"],
            post=data["post"],
            status=data["status"],
        )
    page = Paginator(workers, 50).get_page(request.GET.get("page"))
    workforce = workforce_by_level_and_post(workers)
    chart = stack_chart(
        _("在岗人员：按等级和岗位"),
        [
            (_("%(level)s 级") % {"level": level}, counts)
            for level, counts in workforce["rows"]
        ],
        series=[post.label for post in workforce["posts"]],
    )
    show_id = user_sees_full_id(user)
    rows = [
        {
            "worker": worker,
            "id_number": worker.id_number
            if show_id
            else mask_citizen_id(worker.id_number),
        }
        for worker in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/worker_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "chart": chart,
            "query": query.urlencode(),
            "can_edit_roster": user_can_edit_roster(user),
        },
    )


@login_required
def worker_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    worker = get_object_or_404(
        worker_list_visible_to(user=user).prefetch_related("certificates"), pk=pk
    )
    today = clock.today()
    facts_on = _date_param(request.GET.get("facts_on", "")) or today
    return render(
        request,
        "core/worker_detail.html",
        {
            "worker": worker,
            "id_number": worker.id_number
            if user_sees_full_id(user)
            else mask_citizen_id(worker.id_number),
            "bank_account": worker.bank_account
            if user_sees_full_bank(user)
            else mask_account(worker.bank_account),
            "positions": worker.positions.all(),
            "certificates": worker.certificates.all(),
            "history": [
                (entry, history.labelled_changes(Worker, entry.changes))
                for entry in history.history_for(worker)[:100]
            ],
            "panels": extensions.worker_panels(request, worker),
            "can_edit": user_can_edit_roster(user),
            "today": today,
            "can_issue_login": user_can_issue_worker_logins(user)
            and worker.status != Worker.Status.LEFT,
            "facts_on": facts_on,
            "facts": extensions.worker_facts(worker, facts_on),
        },
    )


def _date_param(value: str) -> date | None:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


@login_required
def community_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    standard = centre_standard_on(clock.today())
    form = CommunityFilterForm(
        request.GET or None,
        districts=district_list_visible_to(user=user),
        streets=street_list_visible_to(user=user),
    )
    communities = community_list_visible_to(user=user)
    if form.is_valid():
        communities = community_list_search(
            communities,
            text=form.cleaned_data["q"].strip(),
            district=form.cleaned_data["district"],
            street=form.cleaned_data["street"],
            meets=form.cleaned_data["meets"],
            standard=standard,
        )
    rows_listing = listing(
        request,
        communities,
        sorts={
            "code": "code",
            "name": "name",
            "street": ("street__district__name", "street__name"),
            "households": "households",
            "area": "centre_area",
        },
        default_sort="code",
    )
    rows = []
    for community in rows_listing.page.object_list:
        required = (
            centre_required_area(community.households, standard.as_rule())
            if standard
            else None
        )
        rows.append(
            {
                "community": community,
                "required": required,
                "meets": standard is not None
                and centre_meets_standard(
                    community.households, community.centre_area, standard.as_rule()
                ),
            }
        )
    return render(
        request,
        "core/community_list.html",
        {"rows": rows, "standard": standard, "form": form, "listing": rows_listing},
    )


def _require_roster_editor(request: AuthenticatedHttpRequest) -> None:
    if not user_can_edit_roster(request.user):
        raise PermissionDenied(_("您的角色不能导入或导出花名册。"))


@login_required
def roster_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_roster_editor(request)
    return import_flow(
        request,
        key="roster",
        resource_factory=lambda: WorkerResource(user=request.user),
        title=_("导入花名册"),
        template_url=reverse("core:roster-template"),
        done_url=reverse("core:worker-list"),
        job_kind="roster",
    )


@login_required
def roster_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_roster_editor(request)
    return exports.xlsx_download(
        request,
        exports.roster_template_workbook(),
        "花名册模板.xlsx",
        what=_("花名册模板"),
    )


@login_required
def roster_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_roster_editor(request)
    resource = WorkerResource(user=request.user)
    dataset = resource.export(
        queryset=resource.get_queryset().filter(
            pk__in=worker_list_visible_to(user=request.user).values("pk")
        )
    )
    if request.GET.get("format") == "csv":
        return exports.csv_download(
            request, dataset.csv, "花名册.csv", what=_("花名册")
        )
    return exports.xlsx_bytes_download(
        request, dataset.xlsx, "花名册.xlsx", what=_("花名册")
    )

"""Pages of core: home, workers, communities, roster import and export."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core import clock, exports, extensions, history
from core.forms import WorkerFilterForm
from core.import_flow import import_flow
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
    community_list_visible_to,
    district_list_visible_to,
    street_list_visible_to,
    user_can_edit_roster,
    user_sees_full_bank,
    user_sees_full_id,
    worker_list_search,
    worker_list_visible_to,
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.AUDITOR:
        from core.documents.views import desk

        return desk(request)
    workers = worker_list_visible_to(user=user)
    context = {
        "cards": extensions.home_cards(user),
        "worker_count": workers.filter(status="active").count(),
        "community_count": community_list_visible_to(user=user).count(),
        "can_edit_roster": user_can_edit_roster(user),
    }
    return render(request, "core/home.html", context)


@login_required
def worker_list(request: HttpRequest) -> HttpResponse:
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
            "query": query.urlencode(),
            "can_edit_roster": user_can_edit_roster(user),
        },
    )


def _choice_labels(field: Any) -> dict[str, Any]:
    return {str(key): label for key, label in getattr(field, "flatchoices", ())}


def _labelled_changes(model: Any, changes: dict[str, Any]) -> list[tuple[Any, ...]]:
    """A change record's fields by their names in the page's language, and
    choice values (status, gender, education, positions…) by their labels,
    not codes."""
    rows = []
    for name, values in (changes or {}).items():
        old, new = [*values, None, None][:2]
        name, _sep, code = name.partition(":")
        field = None
        for candidate in (name, f"{name}s"):
            try:
                field = model._meta.get_field(candidate)
                break
            except FieldDoesNotExist:
                continue
        if field is None:
            rows.append((f"{name}:{code}" if code else name, old, new))
            continue
        if field.auto_created and not field.concrete:
            # A related list (positions, certificates): name it by the related
            # model and show its items by their choice labels.
            related = field.related_model._meta
            label = related.verbose_name_plural
            labels: dict[str, Any] = {}
            for related_field in related.get_fields():
                if getattr(related_field, "choices", None):
                    labels = _choice_labels(related_field)
                    break
        else:
            label = getattr(field, "verbose_name", name)
            labels = _choice_labels(field) if getattr(field, "choices", None) else {}

        def show(value: Any, labels: dict[str, Any] = labels) -> Any:
            if isinstance(value, list):
                if not value:
                    return None
                return "、".join(str(labels.get(str(item), item)) for item in value)
            if value is None:
                return None
            return labels.get(str(value), value)

        if code:
            # One item of a related list, e.g. "certificate:assistant".
            label = f"{capfirst(label)}（{labels.get(code, code)}）"
            labels = {}
        rows.append((capfirst(label), show(old), show(new)))
    return rows


@login_required
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    worker = get_object_or_404(worker_list_visible_to(user=user), pk=pk)
    today = clock.today()
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
                (entry, _labelled_changes(Worker, entry.changes))
                for entry in history.history_for(worker)[:100]
            ],
            "panels": extensions.worker_panels(request, worker),
            "today": today,
        },
    )


@login_required
def community_list(request: HttpRequest) -> HttpResponse:
    standard = centre_standard_on(clock.today())
    rows = []
    for community in community_list_visible_to(user=request.user):
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
        {"rows": rows, "standard": standard},
    )


def _require_roster_editor(request: HttpRequest) -> None:
    if not user_can_edit_roster(request.user):
        raise PermissionDenied(_("您的角色不能导入或导出花名册。"))


@login_required
def roster_import(request: HttpRequest) -> HttpResponse:
    _require_roster_editor(request)
    return import_flow(
        request,
        key="roster",
        resource_factory=lambda: WorkerResource(user=request.user),
        title=_("导入花名册"),
        template_url=reverse("core:roster-template"),
        done_url=reverse("core:worker-list"),
    )


@login_required
def roster_template(request: HttpRequest) -> HttpResponse:
    _require_roster_editor(request)
    return exports.xlsx_download(
        request,
        exports.roster_template_workbook(),
        "花名册模板.xlsx",
        what=_("花名册模板"),
    )


@login_required
def roster_export(request: HttpRequest) -> HttpResponse:
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

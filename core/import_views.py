"""The pages of a checked import: its progress while it is checked in the
background, then its rows (paginated) with the confirm button."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from core.http import AuthenticatedHttpRequest
from core.import_jobs import (
    RUNNING,
    VALUES_SHOWN,
    import_job_for,
    import_job_report,
    import_job_report_late_notes,
    job_kind,
)
from core.models import ImportJob

ROWS_PER_PAGE = 100


@require_GET
@login_required
def import_job_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = import_job_for(user=request.user, pk=pk)
    kind = job_kind(job.kind)
    context = {
        "title": kind.title,
        "job": job,
        "upload_url": reverse(kind.url_name),
        "confirm_url": reverse(kind.url_name),
        "filename": job.filename,
        "values_shown": VALUES_SHOWN,
    }
    if job.status in RUNNING:
        return render(request, "core/import_progress.html", context)
    report = import_job_report(job)
    rows = report.error_rows if report.has_errors else report.rows
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    context.update(
        report=report,
        rows=page.object_list,
        page=page,
        token=job.token if job.status == ImportJob.Status.CHECKED else "",
        late_changes=import_job_report_late_notes(report),
    )
    return render(request, "core/import.html", context)


@require_GET
@login_required
def import_job_progress(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    job = import_job_for(user=request.user, pk=pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "percent": job.percent,
            "done": job.status not in RUNNING,
        }
    )

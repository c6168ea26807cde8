"""The upload → preview → confirm flow shared by every import page.

The uploaded file is kept privately under PRIVATE_MEDIA_ROOT/imports with a
random name bound to the user's session, so the confirmed import reads exactly
the file that was previewed. An import with a ``job_kind`` (the roster) keeps
its checked preview instead (core.import_jobs): the confirm writes what was
checked, and a large file is checked in the background.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from import_export.resources import Resource

from core import import_jobs
from core.forms import UploadForm
from core.imports import ImportFileError, dataset_from_upload, import_dataset
from core.late_changes import import_late_notes


def _import_dir() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_flow(
    request: HttpRequest,
    *,
    key: str,
    resource_factory: Callable[[], Resource],
    title: str,
    template_url: str = "",
    done_url: str,
    job_kind: str = "",
    **import_kwargs: Any,
) -> HttpResponse:
    """Handle GET (form), POST upload (dry run preview) and POST confirm."""
    # The row's values shown next to its problems (the page's table).
    context: dict[str, Any] = {
        "title": title,
        "template_url": template_url,
        "values_shown": import_jobs.VALUES_SHOWN,
    }
    if job_kind:
        return _job_flow(request, kind=job_kind, context=context, done_url=done_url)
    session_key = f"import:{key}"
    if request.method == "POST" and request.POST.get("action") == "confirm":
        pending = request.session.get(session_key)
        token = request.POST.get("token", "")
        if not pending or not secrets.compare_digest(pending["token"], token):
            messages.error(request, _("导入已过期，请重新上传文件。"))
            return redirect(request.path)
        path = _import_dir() / pending["stored"]
        upload = SimpleUploadedFile(pending["name"], path.read_bytes())
        resource = resource_factory()
        report = import_dataset(
            resource,
            dataset_from_upload(upload),
            dry_run=False,
            **import_kwargs,
        )
        if report.saved:
            path.unlink(missing_ok=True)
            del request.session[session_key]
            messages.success(
                request,
                _("导入完成：新增 %(new)s 行，更新 %(update)s 行，未变 %(skip)s 行。")
                % report.counts,
            )
            late = import_late_notes(resource)
            if late is not None:
                messages.warning(request, late.summary)
            return redirect(done_url)
        context.update(report=report, token=token, filename=pending["name"])
        messages.error(request, _("导入未保存：有错误行，所有行均未写入。"))
        return render(request, "core/import.html", context)

    form = UploadForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            dataset = dataset_from_upload(uploaded)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return render(request, "core/import.html", context)
        resource = resource_factory()
        report = import_dataset(resource, dataset, dry_run=True, **import_kwargs)
        context["late_changes"] = import_late_notes(resource)
        token = secrets.token_urlsafe(24)
        suffix = ".xlsx" if uploaded.name.lower().endswith(".xlsx") else ".csv"
        stored = f"{token}{suffix}"
        uploaded.seek(0)
        (_import_dir() / stored).write_bytes(uploaded.read())
        request.session[session_key] = {
            "token": token,
            "stored": stored,
            "name": uploaded.name,
        }
        context.update(report=report, token=token, filename=uploaded.name)
    return render(request, "core/import.html", context)


def _job_flow(
    request: HttpRequest, *, kind: str, context: dict[str, Any], done_url: str
) -> HttpResponse:
    """The flow of an import that keeps its checked preview (core.import_jobs):
    the confirm writes what the preview checked; a large file is checked in
    the background while a page shows the progress."""
    if request.method == "POST" and request.POST.get("action") == "confirm":
        token = request.POST.get("token", "")
        late = import_jobs.import_job_late_notes_for(
            user=request.user, kind=kind, token=token
        )
        try:
            counts = import_jobs.import_job_confirm(
                user=request.user, kind=kind, token=token
            )
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect(request.path)
        messages.success(
            request,
            _("导入完成：新增 %(new)s 行，更新 %(update)s 行，未变 %(skip)s 行。")
            % counts,
        )
        if late is not None:
            messages.warning(request, late.summary)
        return redirect(done_url)

    form = UploadForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            dataset = dataset_from_upload(uploaded)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return render(request, "core/import.html", context)
        import_jobs.import_jobs_prune(user=request.user)
        job = import_jobs.import_job_create(
            kind=kind, user=request.user, uploaded=uploaded
        )
        if len(dataset) > settings.IMPORT_BACKGROUND_ROWS:
            job.rows_total = len(dataset)
            job.save(update_fields=["rows_total"])
            del dataset
            import_jobs.import_job_start(job)
            return redirect("core:import-job", pk=job.pk)
        report = import_jobs.import_job_check(job, dataset)
        context.update(
            report=report,
            token=job.token,
            filename=job.filename,
            late_changes=import_jobs.import_job_report_late_notes(report),
        )
    return render(request, "core/import.html", context)

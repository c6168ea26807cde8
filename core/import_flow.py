"""The upload → preview → confirm flow shared by every import page.

The uploaded file is kept privately under PRIVATE_MEDIA_ROOT/imports with a
random name bound to the user's session, so the confirmed import reads exactly
the file that was previewed.
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

from core.forms import UploadForm
from core.imports import ImportFileError, dataset_from_upload, import_dataset
from core.late_changes import import_late_notes


def _import_dir() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _with_warnings(report: Any, resource: Resource) -> dict[str, Any]:
    """The preview's rows, each with the warnings the resource noted for it
    (e.g. the roster's levels that differ from the placement rule): shown,
    never blocking."""
    warnings: dict[int, list[str]] = getattr(resource, "row_warnings", {}) or {}
    return {
        "preview_rows": [(row, warnings.get(row.number, [])) for row in report.rows],
        "warning_count": sum(1 for row in report.rows if warnings.get(row.number)),
    }


def import_flow(
    request: HttpRequest,
    *,
    key: str,
    resource_factory: Callable[[], Resource],
    title: str,
    template_url: str = "",
    done_url: str,
    **import_kwargs: Any,
) -> HttpResponse:
    """Handle GET (form), POST upload (dry run preview) and POST confirm."""
    session_key = f"import:{key}"
    context: dict[str, Any] = {"title": title, "template_url": template_url}
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
        context.update(
            report=report,
            token=token,
            filename=pending["name"],
            **_with_warnings(report, resource),
        )
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
        context.update(
            report=report,
            token=token,
            filename=uploaded.name,
            **_with_warnings(report, resource),
        )
    return render(request, "core/import.html", context)

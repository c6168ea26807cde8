"""Checked imports kept for their confirm, and large previews in the background.

A preview checks every row once and keeps what it found in an ``ImportJob``:
the report (every row's problems) and, when no row is bad, the plan of what
to write, both as private JSON files under PRIVATE_MEDIA_ROOT/imports. The
confirm writes the plan after a cheap recheck of its keys
(``bulk_apply``), so a 20,000-row file is not checked twice. A file of more
than ``IMPORT_BACKGROUND_ROWS`` rows is checked by a Celery task (in-process
when no broker is set) while the page follows its progress.

A job belongs to the user who uploaded it and expires
``IMPORT_PREVIEW_MINUTES`` after its check finished; expired jobs and their
files are removed by a periodic task (``import_jobs_prune_task``) and on the
user's next upload, never while the file is still queued or being checked.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock
from core.imports import (
    ImportFileError,
    ImportReport,
    RowReport,
    dataset_from_upload,
    header_report,
    headers_problem,
)
from core.late_changes import LateImportNotes, late_notes_from_facts
from core.models import ImportJob, User

IMPORT_EXPIRED = gettext_lazy("导入已过期，请重新上传文件。")
VALUES_SHOWN = 4


@dataclass(frozen=True)
class JobKind:
    """An import that keeps its checked preview (its resource has
    ``bulk_check`` and ``bulk_apply``)."""

    title: Any
    resource: Callable[[User], Any]
    allowed: Callable[[Any], bool]
    url_name: str


def _roster() -> JobKind:
    from core.resources import WorkerResource
    from core.selectors import user_can_edit_roster

    return JobKind(
        title=gettext_lazy("导入花名册"),
        resource=lambda user: WorkerResource(user=user),
        allowed=user_can_edit_roster,
        url_name="core:roster-import",
    )


JOB_KINDS: dict[str, Callable[[], JobKind]] = {"roster": _roster}


def job_kind(key: str) -> JobKind:
    if key not in JOB_KINDS:
        raise PermissionDenied(_("未知的导入类型。"))
    return JOB_KINDS[key]()


def _dir() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write_json(name: str, data: Any) -> None:
    path = _dir() / name
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, default=str), "utf-8")
    tmp.replace(path)


def _read_json(name: str) -> Any:
    return json.loads((_dir() / name).read_text("utf-8"))


RUNNING = (ImportJob.Status.QUEUED, ImportJob.Status.CHECKING)
# A job queued or being checked this long ago was abandoned (its task lost):
# no check takes so long, so its uploaded file is removed too.
ABANDONED_AFTER = timedelta(days=1)


def _expired(job: ImportJob) -> bool:
    """The confirm window runs from the end of the check (a 50,000-row file
    checked in the background keeps its full window), from the upload when
    the job has no end."""
    since = job.finished_at or job.created_at
    return clock.now() - since > timedelta(minutes=settings.IMPORT_PREVIEW_MINUTES)


def import_jobs_prune(*, user: Any = None) -> int:
    """Forget expired previews (the user's, or everyone's) and their files:
    the plan and report hold full ID and bank account numbers. Jobs still
    queued or being checked are kept (their task writes the row back), unless
    abandoned. Gives how many jobs were removed."""
    now = clock.now()
    cutoff = now - timedelta(minutes=settings.IMPORT_PREVIEW_MINUTES)
    jobs = ImportJob.objects.filter(
        (
            ~Q(status__in=RUNNING)
            & (
                Q(finished_at__lt=cutoff)
                | Q(finished_at__isnull=True, created_at__lt=cutoff)
            )
        )
        | Q(status__in=RUNNING, created_at__lt=now - ABANDONED_AFTER)
    )
    if user is not None:
        jobs = jobs.filter(user=user)
    removed = 0
    for job in jobs.iterator():
        _delete_files(job)
        job.delete()
        removed += 1
    return removed


def _delete_files(job: ImportJob) -> None:
    for name in (job.stored, job.plan, f"{job.token}.report.json"):
        if name:
            (_dir() / name).unlink(missing_ok=True)


def import_job_create(*, kind: str, user: Any, uploaded: Any) -> ImportJob:
    """A job for an uploaded file (kept privately until it is checked)."""
    uploaded.seek(0)
    content = uploaded.read()
    uploaded.seek(0)
    token = secrets.token_urlsafe(24)
    suffix = ".xlsx" if uploaded.name.lower().endswith(".xlsx") else ".csv"
    job = ImportJob.objects.create(
        kind=kind,
        user=user,
        token=token,
        filename=uploaded.name[:200],
        language=translation.get_language() or "",
    )
    job.stored = f"{token}{suffix}"
    (_dir() / job.stored).write_bytes(content)
    job.save(update_fields=["stored"])
    return job


def import_job_check(
    job: ImportJob, dataset: Any, *, progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Check every row once; keep the report and, if no row is bad, the plan."""
    kind = job_kind(job.kind)
    resource = kind.resource(job.user)
    job.rows_total = len(dataset)
    header_error = headers_problem(resource, dataset)
    if header_error:
        report, plan = header_report(header_error), None
    else:
        report, plan = resource.bulk_check(dataset, progress=progress)
    # What the clean plan changes in locked months (DOMAIN A11), worked out
    # once here and kept with the report: the pages and the confirm put it
    # in the reader's language without asking the database again.
    late = None
    late_facts = getattr(resource, "bulk_late_facts", None)
    if plan is not None and late_facts is not None:
        late = late_facts(plan)
    report.late_facts = late
    _write_json(f"{job.token}.report.json", _report_data(report, late))
    if plan is not None:
        job.plan = f"{job.token}.plan.json"
        _write_json(job.plan, plan)
    if job.stored:
        (_dir() / job.stored).unlink(missing_ok=True)
        job.stored = ""
    job.status = ImportJob.Status.CHECKED
    job.rows_done = job.rows_total
    job.error_rows = len(report.error_rows)
    job.counts = report.counts
    job.file_errors = report.file_errors
    job.finished_at = clock.now()
    job.save()
    return report


def import_job_start(job: ImportJob) -> None:
    """Check the job's file in the background, after the job is committed."""
    from core.tasks import import_job_check_task

    job_id = job.pk
    transaction.on_commit(lambda: import_job_check_task.delay(job_id))


def import_job_run(job_id: int) -> None:
    """The background check (the task's body); idempotent once checked."""
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status not in (
        ImportJob.Status.QUEUED,
        ImportJob.Status.CHECKING,
    ):
        return
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING)

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(rows_done=done)

    from django.core.files.uploadedfile import SimpleUploadedFile

    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            content = (_dir() / job.stored).read_bytes()
            dataset = dataset_from_upload(SimpleUploadedFile(job.stored, content))
            ImportJob.objects.filter(pk=job_id).update(rows_total=len(dataset))
            import_job_check(job, dataset, progress=progress)
        except (ImportFileError, FileNotFoundError) as exc:
            job.status = ImportJob.Status.FAILED
            job.file_errors = [
                str(exc) if isinstance(exc, ImportFileError) else str(IMPORT_EXPIRED)
            ]
            job.finished_at = clock.now()
            job.save()


def import_job_fail(job_id: int, error: str) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.FAILED,
        file_errors=[_("检查中断：%(error)s") % {"error": error}],
        finished_at=clock.now(),
    )


def import_job_for(*, user: Any, pk: int) -> ImportJob:
    """The user's own job, if the user may still run that kind of import."""
    job = ImportJob.objects.filter(pk=pk, user=user).first()
    if job is None:
        from django.http import Http404

        raise Http404
    if not job_kind(job.kind).allowed(user):
        raise PermissionDenied(_("您的角色不能进行该导入。"))
    return job


def import_job_report(job: ImportJob) -> ImportReport:
    try:
        data = _read_json(f"{job.token}.report.json")
    except FileNotFoundError:
        data = {"rows": [], "file_errors": list(job.file_errors)}
    rows = [
        RowReport(
            number=r[0],
            status=r[1],
            errors=r[2],
            values=r[3],
            warnings=r[4] if len(r) > 4 else [],
        )
        for r in data["rows"]
    ]
    return ImportReport(
        rows=rows,
        file_errors=data["file_errors"],
        saved=job.status == ImportJob.Status.SAVED,
        counts=job.counts or {},
        late_facts=data.get("late") if job.plan else None,
    )


def _report_data(report: ImportReport, late: Any = None) -> dict[str, Any]:
    rows = []
    for row in report.rows:
        shown = {
            str(key): str(value)
            for key, value in row.values.items()
            if value not in (None, "")
        }
        rows.append(
            [
                row.number,
                row.status,
                row.errors,
                dict(list(shown.items())[:VALUES_SHOWN]),
                row.warnings,
            ]
        )
    return {"rows": rows, "file_errors": report.file_errors, "late": late}


def _checked_job(*, user: Any, kind: str, token: str) -> ImportJob:
    job = (
        ImportJob.objects.filter(kind=kind, user=user, status=ImportJob.Status.CHECKED)
        .filter(token=token)
        .first()
    )
    if job is None or _expired(job):
        raise ValueError(str(IMPORT_EXPIRED))
    return job


def import_job_report_late_notes(report: ImportReport) -> LateImportNotes | None:
    """The late-change notes a kept report carries, in the reader's language."""
    return late_notes_from_facts(report.late_facts)


def import_job_late_notes(job: ImportJob) -> LateImportNotes | None:
    """What the job's clean plan changes in locked months (DOMAIN A11), as
    its check found it, in the reader's language; None when nothing or no
    plan. No query."""
    if not job.plan:
        return None
    try:
        data = _read_json(f"{job.token}.report.json")
    except FileNotFoundError:
        return None
    return late_notes_from_facts(data.get("late"))


def import_job_late_notes_for(
    *, user: Any, kind: str, token: str
) -> LateImportNotes | None:
    """The late-change notes of the job a confirm is about to write."""
    try:
        return import_job_late_notes(_checked_job(user=user, kind=kind, token=token))
    except ValueError:
        return None


def import_job_confirm(*, user: Any, kind: str, token: str) -> dict[str, int]:
    """Write the checked plan of the user's job; raises ValueError (with the
    user's message) when it expired, was not clean, or the data moved."""
    job = _checked_job(user=user, kind=kind, token=token)
    if job.has_errors or not job.plan:
        raise ValueError(_("导入未保存：有错误行，所有行均未写入。"))
    try:
        plan = _read_json(job.plan)
    except FileNotFoundError:
        raise ValueError(str(IMPORT_EXPIRED)) from None
    resource = job_kind(kind).resource(user)
    try:
        with transaction.atomic():
            counts = resource.bulk_apply(plan)
            job.status = ImportJob.Status.SAVED
            job.save(update_fields=["status"])
    except IntegrityError:
        # a worker with a new row's key was saved between recheck and write
        raise ValueError(_("预览后数据已变化，请重新上传文件预览。")) from None
    _delete_files(job)
    return counts

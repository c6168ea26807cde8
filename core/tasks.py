"""Background tasks of core."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.signals import worker_process_shutdown

from core.models import ChangeLog


@worker_process_shutdown.connect
def documents_font_release(**_kwargs: Any) -> None:
    """A pool child leaves through os._exit, past atexit: remove the copy of
    the document font WeasyPrint made for it (3 MB in the temporary folder)."""
    from core.documents import rendering

    rendering.font_config_release()


@shared_task
def system_heartbeat_task(token: str) -> str:
    """Record that a worker reached the database; operators and CI check it.

    Idempotent: a repeated delivery finds the entry and writes nothing.
    """
    entry, _created = ChangeLog.objects.get_or_create(
        model="system.heartbeat",
        object_id=token[:40],
        defaults={
            "object_repr": "celery worker",
            "action": ChangeLog.Action.CREATE,
            "note": "worker heartbeat",
        },
    )
    return str(entry.pk)


@shared_task(bind=True, acks_late=True, max_retries=5)
def document_batch_part_task(self: Any, batch_id: int, index: int) -> bool:
    """Issue one part of a document batch, then try to finish the batch.

    Idempotent: a redelivered task finds the part done.
    """
    from django.db import OperationalError

    from core.documents import batches

    try:
        done = batches.document_batch_part_run(batch_id=batch_id, index=index)
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=1) from exc
    except Exception as exc:
        batches.document_batch_fail(
            batch_id=batch_id, error=f"{type(exc).__name__}: {exc}"
        )
        raise
    batches.document_batch_finish(batch_id=batch_id)
    return done


@shared_task
def import_jobs_prune_task() -> int:
    """Remove expired import previews and their private files (periodic,
    CELERY_BEAT_SCHEDULE); jobs queued or being checked are kept.

    Idempotent: a repeated run finds nothing left to remove.
    """
    from core import import_jobs

    return import_jobs.import_jobs_prune()


@shared_task(bind=True, acks_late=True, max_retries=3)
def import_job_check_task(self: Any, job_id: int) -> None:
    """Check a large import file in the background (core.import_jobs).

    Idempotent: a redelivered task finds the job checked and does nothing.
    """
    from django.db import OperationalError

    from core import import_jobs

    try:
        import_jobs.import_job_run(job_id)
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=1) from exc
    except Exception as exc:
        import_jobs.import_job_fail(job_id, f"{type(exc).__name__}: {exc}")
        raise

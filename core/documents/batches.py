"""Bulk documents in the background: a batch cut into parts, one task a part.

A part is done once its documents are issued; issuing is idempotent (the same
facts give back the stored document), so a redelivered or resumed part costs
a lookup, and a lost worker leaves only the parts not done to run again.
The last part to finish zips the documents for download.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core import clock, extensions
from core.documents.models import DocumentBatch, DocumentBatchPart, IssuedDocument

BATCH_UNKNOWN = _("未知的批量文书类型。")
BATCH_EMPTY = _("所选范围内没有可生成的文书。")


def batch_kind_get(key: str) -> extensions.BatchKind:
    kinds = extensions.document_batch_kinds()
    if key not in kinds:
        raise PermissionDenied(BATCH_UNKNOWN)
    return kinds[key]


@transaction.atomic
def document_batch_start(
    *, kind: str, params: dict[str, Any], requested_by: Any
) -> DocumentBatch:
    """Create a batch with its parts (the kind decides them, inside the user's
    scope) and queue the parts after commit."""
    from django.core.exceptions import ValidationError

    batch_kind = batch_kind_get(kind)
    parts = batch_kind.parts(params, requested_by)
    if not parts:
        raise ValidationError(BATCH_EMPTY)
    batch = DocumentBatch.objects.create(
        kind=kind,
        title=str(batch_kind.title(params))[:200],
        params=params,
        language=translation.get_language(),
        requested_by=requested_by,
        parts_total=len(parts),
        created_at=clock.now(),
    )
    DocumentBatchPart.objects.bulk_create(
        DocumentBatchPart(batch=batch, index=i, key=key, label=str(label)[:200])
        for i, (key, label) in enumerate(parts)
    )
    _enqueue_pending(batch)
    return batch


def _enqueue_pending(batch: DocumentBatch) -> None:
    from core.tasks import document_batch_part_task

    indexes = list(batch.parts.filter(is_done=False).values_list("index", flat=True))
    batch_id = batch.pk
    queue = settings.DOCUMENTS_TASK_QUEUE

    def enqueue() -> None:
        for index in indexes:
            document_batch_part_task.apply_async((batch_id, index), queue=queue)

    transaction.on_commit(enqueue)


def document_batch_part_run(*, batch_id: int, index: int) -> bool:
    """Issue one part's documents; False when the part was done already."""
    batch = DocumentBatch.objects.select_related("requested_by").get(pk=batch_id)
    part = batch.parts.get(index=index)
    if part.is_done:
        return False
    batch_kind = batch_kind_get(batch.kind)
    with translation.override(batch.language):
        documents = batch_kind.issue(part.key, batch.params, batch.requested_by, batch)
    with transaction.atomic():
        locked = DocumentBatchPart.objects.select_for_update().get(pk=part.pk)
        if locked.is_done:
            return False
        locked.is_done = True
        locked.done_at = clock.now()
        locked.document_ids = [document.pk for document in documents]
        locked.save(update_fields=["is_done", "done_at", "document_ids"])
        DocumentBatch.objects.filter(pk=batch_id).update(parts_done=F("parts_done") + 1)
    return True


def document_batch_finish(*, batch_id: int) -> DocumentBatch:
    """Zip the documents of a batch whose parts are all done (once)."""
    with transaction.atomic():
        batch = DocumentBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status == DocumentBatch.Status.DONE:
            return batch
        parts = list(batch.parts.order_by("index"))
        if any(not part.is_done for part in parts):
            return batch
        ids = [pk for part in parts for pk in part.document_ids]
        documents = IssuedDocument.objects.in_bulk(ids)
        # Written to a temporary file, one document at a time: a city's month
        # is hundreds of megabytes and a worker keeps under 500 MB.
        with tempfile.TemporaryFile() as spool:
            documents_zip_write(spool, [documents[pk] for pk in ids])
            spool.seek(0)
            batch.result.save(f"batch-{batch.pk}.zip", File(spool), save=False)
        batch.status = DocumentBatch.Status.DONE
        batch.parts_done = len(parts)
        batch.finished_at = clock.now()
        batch.error = ""
        batch.save(
            update_fields=["result", "status", "parts_done", "finished_at", "error"]
        )
        return batch


def document_batch_fail(*, batch_id: int, error: str) -> None:
    DocumentBatch.objects.filter(pk=batch_id).update(
        status=DocumentBatch.Status.FAILED, error=error[:2000]
    )


@transaction.atomic
def document_batch_resume(*, batch: DocumentBatch) -> DocumentBatch:
    """Queue the parts not done again (after a failure or a lost worker)."""
    if batch.status == DocumentBatch.Status.DONE:
        return batch
    DocumentBatch.objects.filter(pk=batch.pk).update(
        status=DocumentBatch.Status.RUNNING, error=""
    )
    batch.refresh_from_db()
    if batch.parts.filter(is_done=False).exists():
        _enqueue_pending(batch)
    else:
        transaction.on_commit(lambda: document_batch_finish(batch_id=batch.pk))
    return batch


def documents_zip_write(target: Any, documents: list[IssuedDocument]) -> None:
    """Write stored documents into a zip on ``target``, streaming each file."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:
        for document in documents:
            with (
                document.file.open("rb") as handle,
                archive.open(document.filename, "w") as entry,
            ):
                shutil.copyfileobj(handle, entry, 1024 * 1024)

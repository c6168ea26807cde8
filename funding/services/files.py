"""Private uploads: receipts and meeting attachments."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.utils.translation import gettext as _

from core.models import User
from funding import rules, selectors
from funding.models import (
    StoredFile,
)
from funding.services._common import (
    RECEIPT_MESSAGES,
)


def files_check(files: Iterable[UploadedFile], *, today: date) -> list[str]:
    """Chinese messages for every unacceptable upload ([] when all are fine)."""
    policy = selectors.policy_on(today).as_rule()
    messages = []
    for uploaded in files:
        head = uploaded.read(16)
        uploaded.seek(0)
        name = rules.sanitise_filename(uploaded.name or "")
        for code in rules.receipt_problems(
            filename=name, size=uploaded.size or 0, head=head, policy=policy
        ):
            messages.append(
                str(RECEIPT_MESSAGES[code])
                % {
                    "name": name,
                    "types": _("、").join(policy.allowed_receipt_types),
                    "limit": round(policy.max_receipt_bytes / 1024 / 1024, 1),
                }
            )
    return messages


def file_digest(uploaded: UploadedFile) -> str:
    """SHA-256 of an upload's content; the upload is rewound for reading."""
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def _store_file(
    *,
    actor: User,
    uploaded: UploadedFile,
    folder: str,
    written: list[Path],
    **owner: Model,
) -> StoredFile:
    name = rules.sanitise_filename(uploaded.name or "")
    kind = rules.receipt_type(name)
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    relative = f"funding/{folder}/{uuid.uuid4().hex}.{kind}"
    target = (root / relative).resolve()
    if root not in target.parents:  # a random name never escapes; stay sure
        raise ValidationError(_("文件路径无效。"))
    target.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    digest = hashlib.sha256()
    uploaded.seek(0)
    with target.open("xb") as out:
        written.append(target)
        for chunk in uploaded.chunks():
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    return StoredFile.objects.create(
        kind=kind,
        name=name,
        path=relative,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
        **owner,
    )


def store_files(
    *, actor: User, files: Sequence[UploadedFile], folder: str, **owner: Model
) -> list[StoredFile]:
    """Write the files last in the service; if writing fails, remove them.

    A later rollback could only leave orphans with random names, which no
    view can reach because no row points at them.
    """
    written: list[Path] = []

    def cleanup() -> None:
        for path in written:
            path.unlink(missing_ok=True)

    try:
        stored = [
            _store_file(
                actor=actor, uploaded=f, folder=folder, written=written, **owner
            )
            for f in files
        ]
    except BaseException:
        cleanup()
        raise
    return stored


def stored_file_path(stored: StoredFile) -> Path:
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    path = (root / stored.path).resolve()
    if root not in path.parents:
        raise PermissionDenied
    return path

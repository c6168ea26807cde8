"""Issuing documents: number, render, sign, store; once issued, served again.

``document_issue`` is the one way a PDF becomes an official record. The facts
that a document prints are fingerprinted; asking for the same subject again
with the same facts returns the stored file byte for byte, with changed facts
a new number that names the one it replaces.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core import clock
from core.documents import rendering, signing
from core.documents.models import (
    KIND_PREFIX,
    DocumentBatch,
    DocumentCounter,
    DocumentKind,
    IssuedDocument,
)
from core.history import JSONValue
from core.models import Community, District, User, Worker

# Verification codes: 12 characters from an alphabet without look-alikes
# (no 0/O, 1/I/L), about 60 bits: not guessable, easy to type from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


@dataclass(frozen=True)
class DocumentStamp:
    """What every issued PDF prints about itself."""

    issuer: str
    kind_label: str
    number: str
    code: str
    verify_url: str
    qr: str
    issued_by: str
    issued_at: datetime
    replaces: str = ""


def facts_fingerprint(facts: JSONValue) -> str:
    text = json.dumps(facts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def issuer_name() -> str:
    if translation.get_language() == "en" and settings.DOCUMENTS_ISSUER_EN:
        return settings.DOCUMENTS_ISSUER_EN
    return settings.DOCUMENTS_ISSUER


def number_take(*, kind: str, year: int) -> str:
    """The next number of a kind in a year, e.g. GZ-2026-000123 (gap-free
    except for a render that fails after taking its number)."""
    with transaction.atomic():
        DocumentCounter.objects.get_or_create(kind=kind, year=year)
        counter = DocumentCounter.objects.select_for_update().get(kind=kind, year=year)
        DocumentCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
        last = counter.last + 1
    return f"{KIND_PREFIX[kind]}-{year}-{last:06d}"


def code_new() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not IssuedDocument.objects.filter(code=code).exists():
            return code


def verify_url(code: str) -> str:
    base = settings.DOCUMENTS_PUBLIC_URL.rstrip("/")
    return base + reverse("core:verify", args=[code])


def document_current(*, kind: str, subject_key: str) -> IssuedDocument | None:
    """The latest document of a subject in the current language, not replaced."""
    return (
        IssuedDocument.objects.filter(
            kind=kind,
            subject_key=subject_key,
            language=translation.get_language(),
            replaced_by__isnull=True,
        )
        .order_by("-issued_at", "-id")
        .first()
    )


def document_issue(
    *,
    kind: str,
    subject_key: str,
    facts: JSONValue,
    template: str,
    context: dict[str, object],
    title: str,
    issued_by: User | None,
    subject_name: str = "",
    totals: list[tuple[str, str]] | None = None,
    worker: Worker | None = None,
    community: Community | None = None,
    district: District | None = None,
    year: int | None = None,
    month: int | None = None,
    batch: DocumentBatch | None = None,
    disclosure: str = "",
) -> IssuedDocument:
    """Issue (or find) the document of ``subject_key`` showing ``facts``.

    ``facts`` are the plain values the document prints; ``context`` is what
    the template reads, plus ``stamp`` added here.
    """
    fingerprint = facts_fingerprint(facts)
    current = document_current(kind=kind, subject_key=subject_key)
    if current is not None and current.facts_sha256 == fingerprint:
        return current
    now = clock.now()
    number = number_take(kind=kind, year=now.year)
    code = code_new()
    url = verify_url(code)
    issuer = issuer_name()
    stamp = DocumentStamp(
        issuer=issuer,
        kind_label=str(DocumentKind(kind).label),
        number=number,
        code=code,
        verify_url=url,
        qr=rendering.qr_data_uri(url),
        issued_by=_person(issued_by),
        issued_at=now,
        replaces=current.number if current else "",
    )
    html = render_to_string(template, {**context, "stamp": stamp, "title": title})
    rendered = rendering.html_to_pdf(html)
    content = signing.pdf_sign(
        rendered.content,
        reason=_("%(kind)s %(number)s") % {"kind": stamp.kind_label, "number": number},
        location=issuer,
    )
    document = IssuedDocument(
        kind=kind,
        number=number,
        code=code,
        subject_key=subject_key,
        language=translation.get_language(),
        title=title[:200],
        subject_name=subject_name[:100],
        worker=worker,
        community=community,
        district=district or (community.street.district if community else None),
        year=year,
        month=month,
        totals=[[str(label), str(value)] for label, value in totals or []],
        disclosure=disclosure,
        facts_sha256=fingerprint,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        pages=rendered.pages,
        issuer=issuer,
        issued_by=issued_by if getattr(issued_by, "pk", None) else None,
        issued_at=now,
        replaces=current,
        batch=batch,
    )
    document.file.save(f"{number}.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        # Issued at the same moment by another request for the same subject:
        # that one replaced ``current`` first; serve it, drop this file.
        document.file.delete(save=False)
        winner = document_current(kind=kind, subject_key=subject_key)
        if winner is None:
            raise
        return winner
    return document


def document_content(document: IssuedDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def document_matches(document: IssuedDocument, content: bytes) -> bool:
    """True when ``content`` is byte for byte the file that was issued."""
    return hashlib.sha256(content).hexdigest() == document.sha256


def _person(user: User | None) -> str:
    if user is None or not getattr(user, "pk", None):
        return _("系统")
    return user.get_full_name() or user.username

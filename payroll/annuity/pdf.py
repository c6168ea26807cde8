"""The member's annuity statement as a PDF (WeasyPrint, our own template)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone


def statement_pdf(statement: Any, request: Any = None) -> bytes:
    from weasyprint import HTML  # heavy import, only when printing

    html = render_to_string(
        "pdf/annuity_statement.html",
        {"statement": statement, "printed_at": timezone.localtime()},
        request=request,
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()

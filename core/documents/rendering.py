"""HTML to archival PDF (WeasyPrint, PDF/A) and the QR code of a document.

The font configuration is made once per process, so a CJK font is found and
loaded once; bulk documents put many payslips in one PDF so the font is
subset once for them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


@lru_cache(maxsize=1)
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def html_to_pdf(html: str) -> RenderedPdf:
    from weasyprint import HTML  # heavy import, only when printing

    # base_url points at the project folder: templates link nothing remote.
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        font_config=_font_config()
    )
    variant = settings.DOCUMENTS_PDF_VARIANT or None
    content = document.write_pdf(pdf_variant=variant)
    return RenderedPdf(content=content, pages=len(document.pages))


def qr_data_uri(text: str) -> str:
    """An inline PNG of the QR code (no remote image, nothing to fetch)."""
    import segno

    return segno.make(text, error="m").png_data_uri(scale=4, border=1)

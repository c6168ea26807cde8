"""HTML to archival PDF (WeasyPrint, PDF/A) and the QR code of a document.

What can be made once per process is: the font configuration (a CJK font is
found and loaded once), the stylesheet that declares the document font and
the user-agent stylesheet (``pdf_ua.css``).
Bulk documents put many payslips in one PDF so the font is subset once for
them all.

The document font (``PDF_FONT_FAMILY``) is the system's Noto Sans CJK SC cut
once to GB 2312 and the Latin and punctuation a document prints, kept on
disk (``DOCUMENTS_FONT_CACHE_DIR``): WeasyPrint subsets the font of every PDF
again, and subsetting a 3 MB font instead of the 19 MB collection halves the
time a single payslip takes to write and the file's size. A character outside
it (a rare given name) is drawn from the full font, the next in the list.
"""

from __future__ import annotations

import atexit
import fcntl
import gc
import hashlib
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

PDF_FONT_FAMILY = "CPF Sans SC"
SOURCE_FONT_FAMILY = "Noto Sans CJK SC"
# Raise when the characters kept change: the cached file's name changes too.
FONT_SUBSET_VERSION = 1
# Laying out a page allocates tens of thousands of small objects; with the
# default thresholds (700, 10, 10) the collector runs hundreds of times per
# document and takes about a fifth of the layout time. Higher thresholds while
# a document is made, the defaults again afterwards.
RENDER_GC_THRESHOLDS = (20_000, 20, 100)


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


@lru_cache(maxsize=1)
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    atexit.register(_font_config_close, config)
    return config


def _font_config_close(config: Any) -> None:
    """Remove the configuration's copy of the font (WeasyPrint copies an
    @font-face font into a temporary folder per process) while the
    interpreter can still do it: WeasyPrint's own clean-up runs too late at
    exit, and a Celery pool child leaves past atexit (core.tasks)."""
    folder = getattr(config, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        config._folder = None


def font_config_release() -> None:
    """Clean up the process's font configuration, if it made one."""
    if _font_config.cache_info().currsize:
        _font_config_close(_font_config())


def font_charset() -> set[int]:
    """The code points the cut font keeps: ASCII, Latin-1 and Latin
    Extended-A, general and CJK punctuation, arrows, maths, enclosed numbers,
    box drawing, shapes, full-width forms, and all of GB 2312 (its 6,763
    hanzi and its symbol rows)."""
    points: set[int] = set(range(0x20, 0x7F)) | set(range(0xA0, 0x180))
    for first, last in (
        (0x2000, 0x206F),
        (0x2100, 0x214F),
        (0x2190, 0x21FF),
        (0x2200, 0x22FF),
        (0x2460, 0x24FF),
        (0x2500, 0x257F),
        (0x25A0, 0x25FF),
        (0x3000, 0x303F),
        (0xFF00, 0xFFEF),
    ):
        points.update(range(first, last + 1))
    for high in (*range(0xA1, 0xAA), *range(0xB0, 0xF8)):
        for low in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return points


def _source_font() -> tuple[str, int] | None:
    """The file and face index of the system's Noto Sans CJK SC (fontconfig),
    or None when it is not installed."""
    try:
        found = subprocess.run(
            ["fc-match", "--format=%{family}\n%{file}\n%{index}", SOURCE_FONT_FAMILY],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return None
    if len(found) < 3 or SOURCE_FONT_FAMILY not in found[0].split(","):
        return None
    return found[1], int(found[2] or 0)


def font_subset_write(source: str, index: int, target: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source, fontNumber=index)
    options = subset.Options()
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=font_charset())
    subsetter.subset(font)
    font.save(str(target))


def document_font_path() -> Path | None:
    """The cut font, made on first use (one process makes it, under a lock,
    the others wait and read it); None without a cache folder or a source."""
    folder = settings.DOCUMENTS_FONT_CACHE_DIR
    source = _source_font() if folder else None
    if source is None:
        return None
    path, index = source
    stat = os.stat(path)
    key = hashlib.sha256(
        f"{FONT_SUBSET_VERSION}:{path}:{index}:{stat.st_size}:{stat.st_mtime_ns}".encode()
    ).hexdigest()[:16]
    target = Path(folder) / f"cpf-sans-sc-{key}.otf"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            logger.info("cutting %s to %s (once)", path, target)
            partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            font_subset_write(path, index, partial)
            partial.replace(target)
    return target


@lru_cache(maxsize=1)
def _stylesheets() -> tuple[Any, ...]:
    """Parsed once per process: the @font-face of the cut font."""
    from weasyprint import CSS

    try:
        font = document_font_path()
    except Exception:  # a broken cache never stops a document
        logger.exception("document font not available; using the system font")
        font = None
    if font is None:
        return ()
    rule = f'@font-face {{ font-family: "{PDF_FONT_FAMILY}"; src: url("{font.as_uri()}"); }}'
    return (CSS(string=rule, font_config=_font_config()),)


@lru_cache(maxsize=1)
def _html_class() -> Any:
    """WeasyPrint's HTML with the short user-agent stylesheet of printed
    documents (``pdf_ua.css``), parsed once per process."""
    from weasyprint import CSS, HTML

    sheet = CSS(filename=str(Path(__file__).with_name("pdf_ua.css")))

    class DocumentHTML(HTML):
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [sheet]

    return DocumentHTML


_renders_lock = threading.Lock()
_renders_running = 0
_thresholds_before: tuple[int, ...] = ()


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The collector's thresholds are the interpreter's: raised while any
    render runs, restored when the last of concurrent renders (threads of one
    process) ends, so two renders cannot leave them raised for good."""
    global _renders_running, _thresholds_before
    with _renders_lock:
        if _renders_running == 0:
            _thresholds_before = gc.get_threshold()
            gc.set_threshold(*RENDER_GC_THRESHOLDS)
        _renders_running += 1
    try:
        yield
    finally:
        with _renders_lock:
            _renders_running -= 1
            if _renders_running == 0:
                gc.set_threshold(*_thresholds_before)


def html_to_pdf(html: str) -> RenderedPdf:
    stylesheets = list(_stylesheets())
    with _fewer_collections():
        # base_url points at the project folder: templates link nothing remote.
        document = _html_class()(string=html, base_url=str(settings.BASE_DIR)).render(
            font_config=_font_config(), stylesheets=stylesheets
        )
        variant = settings.DOCUMENTS_PDF_VARIANT or None
        content = document.write_pdf(pdf_variant=variant)
    return RenderedPdf(content=content, pages=len(document.pages))


def qr_data_uri(text: str) -> str:
    """An inline PNG of the QR code (no remote image, nothing to fetch)."""
    import segno

    return segno.make(text, error="m").png_data_uri(scale=4, border=1)

"""The document font: a GB 2312 cut of Noto Sans CJK SC, with the full font
behind it for characters the cut lacks; the short user-agent stylesheet."""

from __future__ import annotations

import io
import shutil

import pytest
from pypdf import PdfReader

from core.documents import rendering

# 堃 and 喆 are in GBK, not GB 2312: given names that must still print.
RARE = "堃喆"
HTML = (
    "<html><head><style>html {{ font-family: "
    '"CPF Sans SC", "Noto Sans CJK SC", sans-serif; }} '
    "h1, th {{ font-weight: normal; }}</style></head>"
    "<body><h1>工资条</h1><table><tr><th>姓名</th><td>{name}</td></tr>"
    "<tr><td>实发金额</td><td>7,012.75</td></tr></table></body></html>"
)


def _fonts(content: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_charset_holds_gb2312_latin_and_punctuation():
    charset = rendering.font_charset()
    assert {ord(c) for c in "工资条实发金额严力（）：、，。¥"} <= charset
    assert set(range(0x20, 0x7F)) <= charset
    assert 7_000 < len(charset) < 10_000
    assert not {ord(c) for c in RARE} & charset


@pytest.mark.skipif(
    rendering.document_font_path() is None, reason="Noto Sans CJK SC not installed"
)
def test_cut_font_prints_and_rare_names_fall_back_to_the_full_font():
    rendered = rendering.html_to_pdf(HTML.format(name="王" + RARE))
    text = PdfReader(io.BytesIO(rendered.content)).pages[0].extract_text()
    assert "工资条" in text
    assert "王" + RARE in text
    assert "7,012.75" in text
    fonts = _fonts(rendered.content)
    assert any(name.endswith("+CPF-Sans-SC") for name in fonts), fonts
    assert any("Noto-Sans-CJK-SC" in name for name in fonts), fonts
    if shutil.which("pdffonts"):
        import subprocess

        listing = subprocess.run(
            ["pdffonts", "-"], input=rendered.content, capture_output=True
        ).stdout.decode()
        assert "CPF-Sans-SC" in listing


@pytest.mark.skipif(
    rendering.document_font_path() is None, reason="Noto Sans CJK SC not installed"
)
def test_common_text_embeds_only_the_cut_font():
    rendered = rendering.html_to_pdf(HTML.format(name="严力"))
    fonts = _fonts(rendered.content)
    assert all(name.endswith("+CPF-Sans-SC") for name in fonts), fonts


@pytest.mark.skipif(
    rendering.document_font_path() is None, reason="Noto Sans CJK SC not installed"
)
def test_worker_child_removes_its_copy_of_the_font_when_it_leaves():
    from celery.signals import worker_process_shutdown

    import core.tasks  # noqa: F401  (connects the handler)

    rendering.html_to_pdf(HTML.format(name="严力"))
    folder = rendering._font_config()._folder
    assert folder is not None
    assert folder.exists()
    worker_process_shutdown.send(sender=None, pid=0, exitcode=0)
    assert not folder.exists()
    # The next document in a process that goes on copies the font again.
    rendering._font_config.cache_clear()
    rendering._stylesheets.cache_clear()
    rendering.html_to_pdf(HTML.format(name="严力"))
    assert rendering._font_config()._folder.exists()

"""Spreadsheet and CSV downloads (each logged through core.documents.downloads)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.export_safety import safe_row
from core.imports import choice_maps
from core.models import CertificateKind, Education, Position, Post, Worker

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(
    request: HttpRequest,
    workbook: Workbook,
    filename: str,
    *,
    what: str,
    scope: str = "",
) -> HttpResponse:
    """A workbook as a logged download (``core.documents.downloads``)."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return xlsx_bytes_download(
        request, buffer.getvalue(), filename, what=what, scope=scope
    )


def append_row(sheet: Any, row: Any) -> None:
    """Every hand-written sheet row goes through here: text that a spreadsheet
    would run as a formula is escaped (core.export_safety); numbers stay
    numbers."""
    sheet.append(safe_row(row))


def csv_text(rows: Any) -> str:
    """CSV text (with a BOM for Excel) of rows, formula-escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(safe_row(row))
    return "\ufeff" + buffer.getvalue()


def xlsx_bytes_download(
    request: HttpRequest, content: bytes, filename: str, *, what: str, scope: str = ""
) -> HttpResponse:
    from core.documents.downloads import file_response

    return file_response(
        request,
        content=content,
        filename=filename,
        content_type=XLSX,
        what=what,
        scope=scope,
    )


def csv_download(
    request: HttpRequest, text: str, filename: str, *, what: str, scope: str = ""
) -> HttpResponse:
    """CSV with a byte-order mark, so that Excel reads the Chinese right."""
    from core.documents.downloads import file_response

    return file_response(
        request,
        content=("\ufeff" + text).encode("utf-8"),
        filename=filename,
        content_type="text/csv; charset=utf-8",
        what=what,
        scope=scope,
    )


MONEY_FORMAT = "#,##0.00"


def workbook_from_rows(
    title: str, headers: list[str], rows: list[list], *, totals: bool = False
) -> Workbook:
    """A one-sheet workbook people can read: a bold, frozen header with a
    filter, money (Decimal) as numbers shown ``#,##0.00``, columns wide
    enough, and a bold totals row ("合计") — added by summing the Decimal
    and integer columns when ``totals`` and the rows have none."""
    workbook = Workbook()
    # A new (not write-only) workbook always opens with one plain worksheet.
    sheet = cast(Worksheet, workbook.active)
    sheet.title = title[:31]
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    total_label = _("合计")
    if totals and rows and str(rows[-1][0]) != str(total_label):
        rows = [*rows, _totals_row(rows, total_label)]
    for values in rows:
        append_row(sheet, values)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, Decimal):
                cell.number_format = MONEY_FORMAT
        if rows and row[0].value is not None and str(row[0].value) == str(total_label):
            for cell in row:
                cell.font = Font(bold=True)
                cell.border = Border(top=Side(style="thin"))
    sheet.freeze_panes = "A2"
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"
    _fit_columns(sheet, headers, rows)
    return workbook


def _totals_row(rows: list[list], label: Any) -> list[Any]:
    width = max(len(row) for row in rows)
    sums: list[Any] = [label, *([None] * (width - 1))]
    for index in range(1, width):
        values = [row[index] for row in rows if index < len(row)]
        numbers = [v for v in values if isinstance(v, Decimal)]
        if numbers and len(numbers) == len([v for v in values if v not in ("", None)]):
            sums[index] = sum(numbers, Decimal("0"))
    return sums


def _fit_columns(sheet: Any, headers: list[str], rows: list[list]) -> None:
    """Column widths from the longest value (CJK characters count double)."""

    def width(value: Any) -> int:
        text = f"{value:,.2f}" if isinstance(value, Decimal) else str(value or "")
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    for index, header in enumerate(headers, start=1):
        longest = max(
            [
                width(header),
                *(width(r[index - 1]) for r in rows[:500] if len(r) >= index),
            ]
        )
        sheet.column_dimensions[get_column_letter(index)].width = min(
            max(8, longest + 2), 60
        )


def _labels(choices) -> str:
    return "、".join(choice_maps(choices)[1].values())


def roster_template_workbook() -> Workbook:
    from core.resources import WorkerResource

    headers = WorkerResource().get_export_headers()
    workbook = workbook_from_rows(_("花名册"), headers, [])
    notes = workbook.create_sheet(_("填写说明"))
    notes.append([_("列"), _("说明")])
    notes.append(
        ["身份证号", _("18位居民身份证号，校验码必须正确；出生日期和性别由其推出")]
    )
    notes.append(["社区代码", _("系统中的社区代码，须在您的管理范围内")])
    notes.append(
        [
            "岗位代码",
            "、".join(
                f"{p.code}={p.name}({p.lowest_level}–{p.highest_level}级)"
                for p in Post.objects.all()
            ),
        ]
    )
    notes.append(["等级", _("须在岗位的等级范围内")])
    notes.append(["学历学位", _labels(Education.choices)])
    notes.append(
        [
            "职务",
            _("多个用分号分隔：") + _labels(Position.choices),
        ]
    )
    notes.append(["最高社工证书", _labels(CertificateKind.choices)])
    notes.append(["状态", _labels(Worker.Status.choices)])
    notes.append([_("日期"), _("YYYY-MM-DD，不能晚于今天")])
    return workbook

"""Spreadsheet downloads: one place for file names and the xlsx content type."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.export_safety import safe_row
from core.imports import choice_maps
from core.models import CertificateKind, Education, Position, Post, Worker

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(filename: str) -> str:
    """A Content-Disposition that keeps a Chinese file name in every browser."""
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def xlsx_bytes_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = attachment(filename)
    return response


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return xlsx_bytes_response(buffer.getvalue(), filename)


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


def workbook_from_rows(title: str, headers: list[str], rows: list[list]) -> Workbook:
    """A one-sheet workbook with a bold header row; values stay Decimal/str."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    return workbook


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

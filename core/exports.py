"""Spreadsheet and CSV downloads (each logged through core.documents.downloads)."""

from __future__ import annotations

import io

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

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


def workbook_from_rows(title: str, headers: list[str], rows: list[list]) -> Workbook:
    """A one-sheet workbook with a bold header row; values stay Decimal/str."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
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

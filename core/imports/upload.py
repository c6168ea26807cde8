"""An uploaded file read into a dataset: its size and format checked, an xlsx
sheet read row by row with the row limit refused early, formula cells
refused by name.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import tablib
from django.conf import settings
from django.utils.translation import gettext as _

MAX_IMPORT_BYTES = 5 * 1024 * 1024
IMPORT_FORMATS = ("xlsx", "csv")


class ImportFileError(ValueError):
    pass


def dataset_from_upload(uploaded: Any) -> tablib.Dataset:
    """Read an uploaded xlsx or csv (UTF-8, with or without BOM, or GB18030)."""
    name = (getattr(uploaded, "name", "") or "").lower()
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_IMPORT_BYTES:
        raise ImportFileError(_("文件过大：不能超过 5 MB。"))
    raw = uploaded.read()
    if name.endswith(".xlsx"):
        return _dataset_from_xlsx(raw)
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError(_("CSV 文件编码无法识别（请使用 UTF-8）。"))
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        if not header:
            raise ImportFileError(_("文件为空。"))
        dataset = tablib.Dataset(headers=[h.strip() for h in header])
        for row in reader:
            if any(cell.strip() for cell in row):
                _check_row_count(len(dataset))
                dataset.append(row[: len(header)] + [""] * (len(header) - len(row)))
        return dataset
    raise ImportFileError(_("只支持 .xlsx 或 .csv 文件。"))


FORMULA_CELLS_SHOWN = 5


def _check_row_count(rows_so_far: int) -> None:
    """Refuse a file past IMPORT_MAX_ROWS while it is read, before it fills
    the memory (a million empty-looking rows fit in 5 MB of xlsx)."""
    limit = settings.IMPORT_MAX_ROWS
    if rows_so_far >= limit:
        raise ImportFileError(
            _("文件行数过多：一次最多导入 %(limit)s 行，请分批上传。")
            % {"limit": limit}
        )


def _sheet_size_from_header(self: Any) -> None:
    """openpyxl's read-only sheet looks for its <dimension> tag when opened;
    when the tag is missing (files written in write-only mode, hand-made
    files) it reads the whole sheet to the end before the first row is
    given: a million-row file costs its full parse before the row limit can
    refuse it. The tag, when there is one, comes before <sheetData>, so
    stopping there gives the same answer."""
    from openpyxl.worksheet._reader import DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse

    source = self._get_source()
    try:
        for event, element in iterparse(source, events=("start", "end")):
            if element.tag == DIMENSION_TAG and event == "end":
                dimension = SheetDimension.from_tree(element)
                if dimension is None:
                    return
                (
                    self._min_column,
                    self._min_row,
                    self._max_column,
                    self._max_row,
                ) = dimension.boundaries
                return
            if element.tag.endswith("}sheetData"):
                return
    finally:
        source.close()


def _dataset_from_xlsx(raw: bytes) -> tablib.Dataset:
    """The first sheet, read row by row (openpyxl's read-only mode keeps
    memory bounded). A formula cell is refused by name: the file holds no
    value for it that the system could trust."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    ReadOnlyWorksheet._get_size = _sheet_size_from_header  # type: ignore[attr-defined]

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as exc:
        raise ImportFileError(_("无法读取该 Excel 文件。")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows()
        header_cells = next(rows, None)
        if not header_cells:
            raise ImportFileError(_("文件为空。"))
        headers = [
            str(c.value).strip() if c.value is not None else "" for c in header_cells
        ]
        while headers and not headers[-1]:
            headers.pop()
        dataset = tablib.Dataset(headers=headers)
        formulas: list[str] = []
        for cells in rows:
            values = []
            for column, cell in enumerate(cells[: len(headers)]):
                if cell.data_type == "f":
                    formulas.append(
                        _("第 %(row)s 行“%(column)s”列（%(cell)s）")
                        % {
                            "row": cell.row,
                            "column": headers[column] or get_column_letter(column + 1),
                            "cell": f"{get_column_letter(column + 1)}{cell.row}",
                        }
                    )
                values.append(cell.value)
            if not any(v not in (None, "") for v in values):
                continue
            _check_row_count(len(dataset))
            dataset.append(values + [None] * (len(headers) - len(values)))
    finally:
        workbook.close()
    if formulas:
        shown = "、".join(formulas[:FORMULA_CELLS_SHOWN])
        more = len(formulas) - FORMULA_CELLS_SHOWN
        raise ImportFileError(
            _(
                "文件含有公式，系统不读取公式的结果：%(cells)s%(more)s。请将这些单元格改为数值或文字后重新上传。"
            )
            % {
                "cells": shown,
                "more": _("等 %(n)s 处") % {"n": len(formulas)} if more > 0 else "",
            }
        )
    return dataset

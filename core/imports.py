"""All-or-nothing imports with a clear message for every bad row.

Every importer of the project (rosters, grades, ratings, allocations, tables)
goes through ``import_dataset``: a dry run lists each row's problems; a real
run saves every row or, if any row is bad, none.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from djmoney.money import Money
from import_export import widgets
from import_export.resources import Resource

from core.money import CNY, decimal_of

MAX_IMPORT_BYTES = 5 * 1024 * 1024
IMPORT_FORMATS = ("xlsx", "csv")


class ImportFileError(ValueError):
    pass


@dataclass
class RowReport:
    number: int
    status: str
    errors: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    # What the row does that is allowed but worth a look (e.g. a level the
    # placement rule would not give): shown in the preview, never blocking.
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowReport]
    file_errors: list[str]
    saved: bool
    counts: dict[str, int]
    # A kept preview's late-change facts (core.late_changes.LateChanges.facts).
    late_facts: Any = None

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(r.errors for r in self.rows)

    @property
    def error_rows(self) -> list[RowReport]:
        return [r for r in self.rows if r.errors]

    @property
    def warning_rows(self) -> list[RowReport]:
        return [r for r in self.rows if r.warnings]


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


def _field_labels(resource: Resource) -> dict[str, str]:
    labels = {}
    for resource_field in resource.get_import_fields():
        if resource_field.attribute:
            labels[resource_field.attribute.split("__")[0]] = str(
                resource_field.column_name
            )
    return labels


def _messages(error: ValidationError, labels: dict[str, str]) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    messages = []
    for name, errors in error.message_dict.items():
        label = labels.get(name)
        for message in errors:
            messages.append(f"{label}{_('：')}{message}" if label else message)
    return messages


def import_dataset(
    resource: Resource, dataset: tablib.Dataset, *, dry_run: bool, **kwargs: Any
) -> ImportReport:
    """Run an import in one transaction; any bad row rolls all of it back.

    A resource with ``bulk_check`` / ``bulk_apply`` (the roster) is checked in
    bulk: its lookups fetched once, its rows saved with ``bulk_create``."""
    labels = _field_labels(resource)
    header_error = headers_problem(resource, dataset)
    if header_error:
        return header_report(header_error)
    if hasattr(resource, "bulk_check"):
        report, plan = resource.bulk_check(dataset)
        if plan is not None and not dry_run:
            resource.bulk_apply(plan)
            report.saved = True
        return report
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        collect_failed_rows=False,
        **kwargs,
    )
    file_errors = [str(error.error) for error in result.base_errors]
    rows: dict[int, RowReport] = {}
    for number, row_result in enumerate(result.rows, 1):
        rows[number] = RowReport(number=number, status=row_result.import_type)
    for invalid in result.invalid_rows:
        report = rows.setdefault(
            invalid.number, RowReport(number=invalid.number, status="invalid")
        )
        report.status = "invalid"
        report.errors.extend(_messages(invalid.error, labels))
    for number, errors in result.row_errors():
        report = rows.setdefault(number, RowReport(number=number, status="error"))
        report.status = "error"
        for error in errors:
            report.errors.append(_error_text(error.error))
    for number, report in rows.items():
        if 0 < number <= len(dataset):
            report.values = dict(
                zip(dataset.headers, dataset[number - 1], strict=False)
            )
    ordered = [rows[n] for n in sorted(rows)]
    has_errors = bool(file_errors) or any(r.errors for r in ordered)
    counts = {
        key: sum(1 for r in ordered if r.status == key)
        for key in ("new", "update", "skip", "invalid", "error")
    }
    return ImportReport(
        rows=ordered,
        file_errors=file_errors,
        saved=not dry_run and not has_errors,
        counts=counts,
    )


EMPTY_COUNTS = ("new", "update", "skip", "invalid", "error")


def headers_problem(resource: Resource, dataset: tablib.Dataset) -> str:
    """One clear message naming the expected columns, instead of "required"
    on every row; empty when the required columns are there."""
    missing = _missing_headers(resource, dataset)
    if not missing:
        return ""
    expected = [str(f.column_name) for f in resource.get_import_fields()]
    return _("表头不符：缺少“%(missing)s”列。第一行应为这些列名：%(expected)s。") % {
        "missing": "”、“".join(missing),
        "expected": "、".join(expected),
    }


def header_report(message: str) -> ImportReport:
    return ImportReport(
        rows=[],
        file_errors=[message],
        saved=False,
        counts=dict.fromkeys(EMPTY_COUNTS, 0),
    )


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return _("无法处理该行：%(error)s") % {"error": error}


def _missing_headers(resource: Resource, dataset: tablib.Dataset) -> list[str]:
    required = getattr(resource, "required_columns", ())
    headers = set(dataset.headers or [])
    return [column for column in required if column not in headers]


class MoneyAmountWidget(widgets.DecimalWidget):
    """A typed amount (a CNY ``MoneyField``) as a plain number in a sheet:
    reads a Decimal and sets it as CNY; writes the Decimal, never "¥"."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Money | None:
        amount = super().clean(value, row, **kwargs)
        return None if amount is None else Money(amount, CNY)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        if isinstance(value, Money):
            value = decimal_of(value)
        return super().render(value, obj, **kwargs)


class LocalDateWidget(widgets.Widget):
    """A date from 2024-03-01, 2024/3/1, 2024.3.1 or an Excel date cell."""

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        for fmt in self.FORMATS:
            try:
                return datetime.strptime(text, fmt).date()  # noqa: DTZ007
            except ValueError:
                continue
        raise ValueError(
            _("日期“%(value)s”格式错误，应为 YYYY-MM-DD。") % {"value": text}
        )

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.isoformat() if value else ""


class CodeWidget(widgets.ForeignKeyWidget):
    """A foreign key by code, limited to a queryset, with a clear message."""

    def __init__(self, model: Any, queryset: Any = None, label: str = "") -> None:
        super().__init__(model, field="code")
        self._queryset = queryset
        self.label = label
        self._by_code: dict[str, Any] | None = None

    def prefetch(self) -> None:
        """Read every allowed code once, so that rows are checked without a
        query each (the bulk roster import)."""
        self._by_code = {
            str(obj.code): obj for obj in self.get_queryset(None, None).all()
        }

    def cached(self) -> list[Any]:
        return list((self._by_code or {}).values())

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> Any:
        return (
            self._queryset if self._queryset is not None else self.model.objects.all()
        )

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if value in (None, ""):
            return None
        code = str(value).strip()
        if self._by_code is not None:
            if code in self._by_code:
                return self._by_code[code]
            raise ValueError(
                _("代码“%(code)s”不存在或不在您的范围内。") % {"code": code}
            )
        try:
            return self.get_queryset(value, row).get(code=code)
        except self.model.DoesNotExist:
            raise ValueError(
                _("代码“%(code)s”不存在或不在您的范围内。") % {"code": code}
            ) from None


FILE_LANGUAGE = "zh-hans"  # import/export files use Chinese headers and labels


def choice_maps(choices: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Map a file's text (Chinese label, English label or code) to a choice value,
    and each value to its Chinese label, whatever the user's language is."""
    with translation.override(FILE_LANGUAGE):
        file_labels = {value: str(label) for value, label in choices}
    with translation.override("en"):
        by_text = {str(label): value for value, label in choices}
    by_text.update({label: value for value, label in file_labels.items()})
    by_text.update({value: value for value in file_labels})
    return by_text, file_labels


class LabelChoiceWidget(widgets.Widget):
    """A choice written as its Chinese label (or its code); exported as the label."""

    def __init__(self, choices: Any) -> None:
        self.by_label, self.by_value = choice_maps(choices)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if value in (None, ""):
            return ""
        text = str(value).strip()
        if text in self.by_label:
            return self.by_label[text]
        raise ValueError(
            _("“%(value)s”不是有效选项，可选：%(options)s")
            % {"value": text, "options": "、".join(self.by_value.values())}
        )

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return self.by_value.get(value, value or "")

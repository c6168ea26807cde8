"""``import_dataset``: a dry run lists each row's problems; a real run saves
every row or, if any row is bad, none. Also the report of every row and the
check of a file's headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export.resources import Resource


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

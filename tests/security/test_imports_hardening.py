"""Imports: wrong headers get one clear message; formula cells are refused by name."""

from __future__ import annotations

import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.imports import ImportFileError, dataset_from_upload, import_dataset
from core.resources import WorkerResource
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("roster.xlsx", buffer.getvalue())


def test_wrong_headers_give_one_message_naming_the_expected_columns():
    dataset = tablib.Dataset(headers=["ID", "Name"])
    dataset.append(["1", "x"])
    dataset.append(["2", "y"])

    report = import_dataset(WorkerResource(user=UserFactory()), dataset, dry_run=True)

    assert report.rows == []
    assert len(report.file_errors) == 1
    message = report.file_errors[0]
    assert "表头不符" in message
    assert "身份证号" in message
    assert "社区代码" in message
    assert not report.saved


def test_formula_cells_refused_by_name():
    upload = _xlsx([["身份证号", "姓名"], ["320102199001011234", '=A2&"x"']])
    with pytest.raises(ImportFileError) as refused:
        dataset_from_upload(upload)
    assert "第 2 行“姓名”列（B2）" in str(refused.value)


def test_xlsx_rows_read_with_values_and_blank_rows_skipped():
    upload = _xlsx([["身份证号", "姓名"], ["320102199001011234", "张三"], [None, None]])
    dataset = dataset_from_upload(upload)
    assert dataset.headers == ["身份证号", "姓名"]
    assert list(dataset) == [("320102199001011234", "张三")]


def test_every_problem_of_a_row_is_listed():
    headers = WorkerResource().get_export_headers()
    dataset = tablib.Dataset(headers=headers)
    row = dict.fromkeys(headers, "")
    row.update({"身份证号": "320102199001011234", "最高社工证书": "不存在的证书"})
    dataset.append([row[h] for h in headers])

    report = import_dataset(WorkerResource(user=UserFactory()), dataset, dry_run=True)

    errors = " ".join(report.rows[0].errors)
    for problem in (
        "“姓名”为必填项",
        "“社区代码”为必填项",
        "“岗位代码”为必填项",
        "未知证书",
    ):
        assert problem in errors


def test_the_roster_cannot_be_imported_row_by_row():
    """django-import-export's row-by-row save would skip the scope check, the
    change log and the level history: only the bulk check and apply import
    the roster (core.import_jobs, core.imports.import_dataset)."""
    from core.models import Worker

    headers = WorkerResource().get_export_headers()
    dataset = tablib.Dataset(headers=headers)
    row = dict.fromkeys(headers, "")
    row.update({"身份证号": "320102199001011234", "姓名": "张三"})
    dataset.append([row[h] for h in headers])

    with pytest.raises(NotImplementedError, match="bulk_check"):
        WorkerResource(user=UserFactory()).import_data(dataset, dry_run=False)
    assert not Worker.objects.exists()


def test_no_admin_imports_the_roster():
    from django.contrib import admin

    for model_admin in admin.site._registry.values():
        assert WorkerResource not in getattr(model_admin, "resource_classes", [])

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ratings.models import AnnualGrade
from tests.factories import UserFactory, WorkerFactory
from tests.ratings.factories import AnnualGradeFactory

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["身份证号", "姓名", "考核年度", "考核结果", "备注"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("grades.xlsx", buffer.getvalue())


def test_grade_import_page_preview_then_confirm(client):
    worker = WorkerFactory()
    user = UserFactory(role="district_staff", district=worker.community.street.district)
    client.force_login(user)
    preview = client.post(
        "/ratings/grades/import/",
        {"file": _xlsx([[worker.id_number, "", 2025, "优秀", ""]])},
    )
    assert preview.status_code == 200
    assert not AnnualGrade.objects.exists()
    token = preview.context["token"]
    done = client.post("/ratings/grades/import/", {"action": "confirm", "token": token})
    assert done.status_code == 302
    grade = AnnualGrade.objects.get()
    assert (grade.grade, grade.entered_by) == ("excellent", user)


def test_grade_import_page_names_bad_row(client):
    worker = WorkerFactory()
    client.force_login(UserFactory(role="city_staff"))
    page = client.post(
        "/ratings/grades/import/",
        {
            "file": _xlsx(
                [
                    [worker.id_number, "", 2025, "优秀", ""],
                    ["nobody", "", 2025, "合格", ""],
                ]
            )
        },
    ).content.decode()
    assert 'data-row="2"' in page
    assert "不存在或不在您的范围内" in page
    assert 'id="confirm-import"' not in page


def test_grade_list_is_scoped(client):
    mine = AnnualGradeFactory()
    other = AnnualGradeFactory()
    user = UserFactory(
        role="district_staff", district=mine.worker.community.street.district
    )
    client.force_login(user)
    page = client.get("/ratings/grades/").content.decode()
    assert mine.worker.full_name in page
    assert other.worker.full_name not in page


def test_secretary_cannot_open_grade_pages(client):
    worker = WorkerFactory()
    client.force_login(UserFactory(role="secretary", community=worker.community))
    assert client.get("/ratings/grades/").status_code == 403
    assert client.get("/ratings/grades/import/").status_code == 403

"""xlsx import/export of scale tables: round trip, all-or-nothing, frozen."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
import tablib

from core.imports import import_dataset
from payroll.models import ScaleLevelPay
from payroll.scales.resources import (
    TABLES,
    ScaleLevelPayResource,
    ScaleParameterResource,
    scale_workbook,
)
from payroll.scales.services import scale_version_mark_used
from tests.payroll.factories import scale_version

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_round_trips(table):
    version = scale_version(status="draft")
    resource_class = TABLES[table][0]
    dataset = resource_class(version=version).export()
    assert len(dataset) > 0
    report = import_dataset(resource_class(version=version), dataset, dry_run=False)
    assert report.saved, [r.errors for r in report.error_rows]
    assert report.counts["skip"] == len(dataset)


def test_level_pay_import_updates_rows():
    version = scale_version(status="draft")
    dataset = tablib.Dataset(
        [version.code, 1, "4900.00", "新依据"],
        [version.code, 2, "5100", "新依据"],
        headers=["版本", "等级", "标准工资", "依据"],
    )
    report = import_dataset(
        ScaleLevelPayResource(version=version), dataset, dry_run=False
    )
    assert report.saved
    assert version.level_pays.get(level=2).standard_pay == D("5100.00")


def test_level_pay_import_with_one_bad_row_saves_nothing():
    version = scale_version(status="draft")
    dataset = tablib.Dataset(
        [version.code, 1, "4900.00", ""],
        [version.code, 2, "-5", ""],
        headers=["版本", "等级", "标准工资", "依据"],
    )
    report = import_dataset(
        ScaleLevelPayResource(version=version), dataset, dry_run=False
    )
    assert not report.saved
    assert [r.number for r in report.error_rows] == [2]
    assert version.level_pays.get(level=1).standard_pay == D("4800.00")


def test_parameter_import_checks_the_column():
    version = scale_version(status="draft")
    dataset = tablib.Dataset(
        [version.code, "最低工资标准（元/月）", "0.5", "", "", "", ""],
        headers=["版本", "参数", "比率", "金额", "数值", "统计年度", "依据"],
    )
    report = import_dataset(
        ScaleParameterResource(version=version), dataset, dry_run=False
    )
    assert not report.saved


def test_import_into_used_version_is_refused():
    version = scale_version()
    scale_version_mark_used(version)
    dataset = tablib.Dataset(
        [version.code, 1, "1.00", ""], headers=["版本", "等级", "标准工资", "依据"]
    )
    report = import_dataset(ScaleLevelPayResource(), dataset, dry_run=False)
    assert not report.saved
    assert "不能再修改" in " ".join(report.error_rows[0].errors)
    assert ScaleLevelPay.objects.get(version=version, level=1).standard_pay == D(
        "4800.00"
    )


def test_scale_workbook_has_a_sheet_per_table():
    version = scale_version()
    buffer = io.BytesIO()
    scale_workbook(version).save(buffer)
    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert len(workbook.sheetnames) == len(TABLES)
    sheet = workbook[workbook.sheetnames[0]]
    assert [c.value for c in sheet[1]] == ["版本", "等级", "标准工资", "依据"]
    assert sheet.max_row == 19


def _levels(*rows):
    return tablib.Dataset(
        *rows, headers=["身份证号", "姓名", "生效日期", "等级", "岗位代码", "说明"]
    )


def test_level_import_records_history_and_syncs_worker():
    from payroll.levels.resources import LevelChangeResource
    from payroll.models import LevelChange
    from tests.factories import WorkerFactory

    scale_version()
    worker = WorkerFactory(level=1)
    report = import_dataset(
        LevelChangeResource(),
        _levels(
            [worker.id_number, "", "2019-01-01", 2, "", "原系统"],
            [worker.id_number, "", "2022-01-01", 3, "", "原系统"],
        ),
        dry_run=False,
    )
    assert report.saved, [r.errors for r in report.error_rows]
    worker.refresh_from_db()
    assert worker.level == 3
    assert list(
        LevelChange.objects.filter(worker=worker).values_list("reason", "new_level")
    ) == [("import", 2), ("import", 3)]


def test_level_import_with_one_bad_row_saves_nothing():
    from payroll.levels.resources import LevelChangeResource
    from payroll.models import LevelChange
    from tests.factories import WorkerFactory

    scale_version()
    worker = WorkerFactory(level=1)
    report = import_dataset(
        LevelChangeResource(),
        _levels(
            [worker.id_number, "", "2019-01-01", 2, "", ""],
            [worker.id_number, "", "2022-01-01", 13, "", ""],
        ),
        dry_run=False,
    )
    assert not report.saved
    assert [r.number for r in report.error_rows] == [2]
    assert "超出岗位" in " ".join(report.error_rows[0].errors)
    assert not LevelChange.objects.exists()
    worker.refresh_from_db()
    assert worker.level == 1

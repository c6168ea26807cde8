"""Per-worker payroll data: imports all or nothing, and their effect on pay."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from core.imports import dataset_from_upload, import_dataset
from core.models import User, Worker
from payroll.cycles.resources import TaxDeclarationResource, YearEndBonusResource
from payroll.cycles.services import payroll_cycle_start
from payroll.models import Payslip, TaxDeclaration, YearEndBonus

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    call_command(
        "seed_demo", "--communities", "3", "--workers-per-community", "4", "--seed", "5"
    )


def upload(headers, rows):
    text = (
        ",".join(headers) + "\n" + "\n".join(",".join(map(str, r)) for r in rows) + "\n"
    )
    return dataset_from_upload(SimpleUploadedFile("x.csv", text.encode("utf-8")))


DECLARATION_HEADERS = [
    "身份证号",
    "年度",
    "子女教育",
    "赡养老人",
    "适用2020年第19号公告",
]


def test_declaration_import_with_a_bad_row_saves_nothing(city):
    finance = User.objects.get(username="finance")
    a, b = Worker.objects.order_by("pk")[:2]

    report = import_dataset(
        TaxDeclarationResource(user=finance),
        upload(
            DECLARATION_HEADERS,
            [
                [a.id_number, 2026, "2000", "3000", "否"],
                ["320211199001011234", 2026, "2000", "0", "否"],
                [b.id_number, 2026, "-5", "0", "是"],
            ],
        ),
        dry_run=False,
    )

    assert not report.saved
    assert TaxDeclaration.objects.count() == 0
    assert [row.number for row in report.error_rows] == [2, 3]
    assert "不存在或不在您的范围内" in report.error_rows[0].errors[0]
    assert "不能为负数" in " ".join(report.error_rows[1].errors)


def test_declared_deductions_lower_the_tax(city, django_capture_on_commit_callbacks):
    finance = User.objects.get(username="finance")
    worker = Worker.objects.filter(post__code="principal").order_by("pk").first()
    report = import_dataset(
        TaxDeclarationResource(user=finance),
        upload(DECLARATION_HEADERS, [[worker.id_number, 2026, "2000", "3000", "否"]]),
        dry_run=False,
    )
    assert report.saved

    with django_capture_on_commit_callbacks(execute=True):
        payroll_cycle_start(year=2026, month=1, actor=finance)

    payslip = Payslip.objects.get(worker=worker, year=2026, month=1)
    iit = next(line for line in payslip.pay_lines() if line.code == "IIT")
    assert iit.params["cumulative_special_additional_deductions"] == "5000.00"


def test_bonus_is_taxed_separately_unless_merged(
    city, django_capture_on_commit_callbacks
):
    finance = User.objects.get(username="finance")
    first, second = Worker.objects.order_by("pk")[:2]
    report = import_dataset(
        YearEndBonusResource(user=finance),
        upload(
            ["身份证号", "年度", "发放月份", "金额", "并入综合所得"],
            [
                [first.id_number, 2026, 1, "36001", "否"],
                [second.id_number, 2026, 1, "36001", "是"],
            ],
        ),
        dry_run=False,
    )
    assert report.saved
    assert YearEndBonus.objects.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        payroll_cycle_start(year=2026, month=1, actor=finance)

    separate = {
        line.code: line
        for line in Payslip.objects.get(worker=first, month=1).pay_lines()
    }
    merged = {
        line.code: line
        for line in Payslip.objects.get(worker=second, month=1).pay_lines()
    }
    assert separate["IIT_BONUS"].amount == Decimal("3390.10")
    assert "IIT_BONUS" not in merged
    assert Decimal(merged["IIT"].params["cumulative_income"]) >= Decimal("36001")

"""Every spreadsheet the system writes: masked where the role needs it, and
text that a spreadsheet would run as a formula escaped (numbers untouched)."""

from __future__ import annotations

import csv
import importlib
import inspect
import io
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from import_export.resources import Resource
from openpyxl import load_workbook

from core import exports
from core.export_safety import SafeExportMixin, escape_formula
from core.models import Role
from tests.factories import CommunityFactory, UserFactory, WorkerFactory
from tests.funding.conftest import fund_reference  # noqa: F401  (fixture)
from tests.funding.factories import FundYearFactory, approved_project
from tests.ratings.factories import AnnualGradeFactory

pytestmark = pytest.mark.django_db

DANGEROUS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_text_gets_an_apostrophe(text):
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize(
    "value", [Decimal("-12.50"), -3, 0.5, "-12.50", "+8", "张三", "", None]
)
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert escape_formula(value) == value


def test_hand_written_workbook_escapes_text_and_keeps_negative_amounts_numeric():
    workbook = exports.workbook_from_rows("t", ["a", "b"], [["=cmd()", Decimal("-5")]])
    sheet = load_workbook(_saved(workbook)).active
    assert sheet["A2"].value == "'=cmd()"
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -5
    assert sheet["B2"].data_type == "n"


def test_csv_helper_escapes():
    rows = list(
        csv.reader(io.StringIO(exports.csv_text([["@x", -1]]).lstrip("\ufeff")))
    )
    assert rows == [["'@x", "-1"]]


def _saved(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_roster_xlsx_and_csv_escape_a_formula_name(client):
    WorkerFactory(full_name='=HYPERLINK("http://x")')
    client.force_login(UserFactory(role=Role.CITY_STAFF))

    xlsx = client.get(reverse("core:roster-export"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ['\'=HYPERLINK("http://x")']

    text = client.get(reverse("core:roster-export"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(text.content.decode().lstrip("\ufeff"))))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'


def test_grade_export_masks_id_numbers_for_a_street_officer(client):
    grade = AnnualGradeFactory()
    worker = grade.worker
    client.force_login(
        UserFactory(role=Role.STREET_OFFICER, street=worker.community.street)
    )
    response = client.get(reverse("ratings:grade-export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    ids = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ids == [worker.id_number[:3] + "*" * 11 + worker.id_number[-4:]]
    assert worker.id_number not in response.content.decode("latin-1")


def test_grade_export_shows_full_ids_to_district_staff(client):
    grade = AnnualGradeFactory()
    client.force_login(
        UserFactory(
            role=Role.DISTRICT_STAFF, district=grade.worker.community.street.district
        )
    )
    response = client.get(reverse("ratings:grade-export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == grade.worker.id_number


def test_roster_export_masks_bank_accounts_for_district_staff(client):
    worker = WorkerFactory(bank_account="6222020200112233445")
    client.force_login(
        UserFactory(role=Role.DISTRICT_STAFF, district=worker.community.street.district)
    )
    response = client.get(reverse("core:roster-export"), {"format": "csv"})
    text = response.content.decode()
    assert "6222020200112233445" not in text
    assert "***************3445" in text


@pytest.mark.usefixtures("fund_reference")
def test_fund_report_escapes_a_formula_title_and_community_name(client):
    community = CommunityFactory(name="=1+2社区")
    fund_year = FundYearFactory(year=date.today().year, community=community)  # noqa: DTZ011
    approved_project(fund_year=fund_year, title="@SUM(A1:A9)")
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    response = client.get(reverse("funding:report-export"))
    workbook = load_workbook(io.BytesIO(response.content))
    texts = {
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    }
    assert not any(t.startswith(("=", "@")) for t in texts)
    assert any(t.startswith("'=1+2") for t in texts)
    assert "'@SUM(A1:A9)" in texts


def test_every_resource_goes_through_the_export_safety_mixin():
    """A new import/export resource that forgets masking and escaping fails here."""
    missing = []
    for config in apps.get_app_configs():
        if config.name not in ("core", "ratings", "payroll", "funding"):
            continue
        for module_name in _resource_modules(config):
            module = importlib.import_module(module_name)
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if (
                    issubclass(cls, Resource)
                    and cls.__module__ == module_name
                    and not issubclass(cls, SafeExportMixin)
                ):
                    missing.append(f"{module_name}.{cls.__name__}")
    assert missing == []


def _resource_modules(config):
    from pathlib import Path

    root = Path(config.path)
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "import_export" in text and "Resource" in text:
            relative = path.relative_to(root.parent).with_suffix("")
            yield ".".join(relative.parts)


@pytest.fixture
def computed_cycle(django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from payroll.cycles.services import payroll_cycle_start

    call_command(
        "seed_demo", "--communities", "1", "--workers-per-community", "4", "--seed", "3"
    )
    worker = WorkerFactory._meta.model.objects.order_by("pk").first()
    worker.full_name = '=HYPERLINK("http://x")'
    worker.save()
    maker = UserFactory(role=Role.FINANCE)
    with django_capture_on_commit_callbacks(execute=True):
        cycle = payroll_cycle_start(year=2026, month=3, actor=maker)
    cycle.refresh_from_db()
    return cycle


def _texts(content):
    workbook = load_workbook(io.BytesIO(content))
    return [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    ]


def test_register_tax_summary_and_bank_file_escape_formulae(client, computed_cycle):
    client.force_login(UserFactory(role=Role.FINANCE))
    register = client.get(reverse("payroll:cycle-register", args=[computed_cycle.pk]))
    assert '\'=HYPERLINK("http://x")' in _texts(register.content)
    assert not any(t.startswith("=") for t in _texts(register.content))

    summary = client.get(
        reverse("payroll:tax-summary"), {"year": 2026, "format": "xlsx"}
    )
    assert '\'=HYPERLINK("http://x")' in _texts(summary.content)

    from payroll.cycles.services import payroll_cycle_approve

    payroll_cycle_approve(cycle=computed_cycle, actor=UserFactory(role=Role.FINANCE))
    bank = client.get(reverse("payroll:cycle-bank-file", args=[computed_cycle.pk]))
    # The bank file is xlsx (its layout a dated row): the name is escaped.
    hyperlinks = [t for t in _texts(bank.content) if "HYPERLINK" in t]
    assert hyperlinks == ['\'=HYPERLINK("http://x")']


def test_register_masks_ids_for_an_auditor(client, computed_cycle):
    client.force_login(UserFactory(role=Role.AUDITOR))
    response = client.get(reverse("payroll:cycle-register", args=[computed_cycle.pk]))
    worker = computed_cycle.payslips.first().worker
    texts = _texts(response.content)
    assert worker.id_number not in texts
    assert worker.id_number[:3] + "*" * 11 + worker.id_number[-4:] in texts

"""The auditor's journey: a community's payslips of a month found among the
issued documents, downloaded in bulk, one verified by upload on the public
page, and the download found in the log."""

import zipfile

import pytest
from django.core.management import call_command

from core.documents.batches import document_batch_start
from core.documents.models import DownloadLog, IssuedDocument
from core.models import Community, Role
from payroll.cycles.services import (
    payroll_cycle_approve,
    payroll_cycle_lock,
    payroll_cycle_start,
)
from payroll.models import PayrollCycle
from tests.browser.conftest import login
from tests.factories import UserFactory


@pytest.mark.browser
def test_auditor_bulk_downloads_verifies_and_finds_the_log(
    page, transactional_db, tmp_path, django_capture_on_commit_callbacks
):
    # given: a locked month and an auditor
    call_command(
        "seed_demo", "--communities", "4", "--workers-per-community", "5", "--seed", "3"
    )
    maker = UserFactory(role=Role.FINANCE, username="maker")
    checker = UserFactory(role=Role.FINANCE, username="checker")
    cycle = payroll_cycle_start(year=2026, month=3, actor=maker)
    cycle.refresh_from_db()
    assert cycle.status == PayrollCycle.Status.COMPUTED, cycle.error
    payroll_cycle_approve(cycle=cycle, actor=checker)
    payroll_cycle_lock(cycle=cycle, actor=checker)
    UserFactory(username="audit", role=Role.AUDITOR, first_name="审计员")
    community = Community.objects.order_by("code").first()

    # the month's payslips were issued in bulk, one PDF per community
    with django_capture_on_commit_callbacks(execute=True):
        document_batch_start(
            kind="payroll.payslips", params={"cycle": str(cycle.pk)}, requested_by=maker
        )

    # the auditor sees the month on the desk
    login(page, "audit")
    assert cycle.period in page.inner_text("#desk-cycles")

    # finds the community's payslips for the month among the documents
    page.goto(f"{page.base_url}/documents/")
    page.select_option("#id_kind", "payslip_bundle")
    page.fill("#id_period", "2026-03")
    page.select_option("#id_community", community.code)
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#documents tbody tr")
    assert rows.count() == 1
    document = IssuedDocument.objects.get(kind="payslip_bundle", community=community)
    assert document.number in rows.first.inner_text()
    with page.expect_download() as bulk:
        page.click("#documents-zip")
    saved = tmp_path / "payslips.zip"
    bulk.value.save_as(saved)
    pdf = tmp_path / "payslips.pdf"
    pdf.write_bytes(zipfile.ZipFile(saved).read(document.filename))

    # opens its verification page, uploads the file and sees it confirmed
    rows = page.locator("#documents tbody tr")
    rows.first.locator("a", has_text=document.number).click()
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#verify-number") == document.number
    page.set_input_files("#id_file", str(pdf))
    page.click("#verify-submit")
    page.wait_for_load_state("networkidle")
    assert "一致" in page.inner_text("#verify-result")
    assert "不一致" not in page.inner_text("#verify-result")

    # and finds both downloads in the log
    page.goto(f"{page.base_url}/downloads/")
    log = page.inner_text("#download-log")
    assert ".zip" in log
    assert community.name in log
    assert DownloadLog.objects.filter(user__username="audit").count() == 1

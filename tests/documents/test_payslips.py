"""Payslips and the cycle's papers as issued documents: what they hold, who
may have them, bulk by community, the auditor's sample, the download log."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from core.documents.models import DocumentBatch, DownloadLog, IssuedDocument
from core.documents.signing import pdf_signature_check
from core.models import Community, Role
from core.templatetags.core_format import yuan
from payroll.cycles.services import (
    payroll_cycle_approve,
    payroll_cycle_lock,
    payroll_cycle_start,
)
from payroll.models import PayrollCycle, Payslip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(django_capture_on_commit_callbacks):
    call_command(
        "seed_demo", "--communities", "4", "--workers-per-community", "5", "--seed", "3"
    )
    maker = UserFactory(role=Role.FINANCE, username="maker")
    checker = UserFactory(role=Role.FINANCE, username="checker")
    with django_capture_on_commit_callbacks(execute=True):
        cycle = payroll_cycle_start(year=2026, month=3, actor=maker)
    cycle.refresh_from_db()
    assert cycle.status == "computed", cycle.error
    payroll_cycle_approve(cycle=cycle, actor=checker)
    payroll_cycle_lock(cycle=cycle, actor=checker)
    cycle.refresh_from_db()
    return cycle


def content_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def text_of(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_payslip_pdf_holds_the_worker_month_and_net_pay(client, cycle):
    payslip = Payslip.objects.select_related("worker").first()
    client.force_login(UserFactory(role=Role.FINANCE))

    response = client.get(reverse("payroll:payslip-pdf", args=[payslip.pk]))

    content = content_of(response)
    text = text_of(content)
    assert payslip.worker.full_name in text
    assert "2026 年 3 月" in text
    assert yuan(payslip.net) in text
    assert "第二联" in text  # finance sees the employer's contributions
    assert "基本工资 = 标准工资" in text  # lines carry their derivations
    assert pdf_signature_check(content) is True
    document = IssuedDocument.objects.get()
    assert document.worker == payslip.worker
    assert (document.year, document.month) == (2026, 3)
    assert DownloadLog.objects.get().document == document


def test_secretary_gets_her_own_payslip_without_employer_part(client, cycle):
    """A secretary reads her own payslip, not her colleagues' (their pay is
    read by payroll staff and auditors, and by each worker)."""
    mine, other = Community.objects.order_by("code")[:2]
    own, colleague = Payslip.objects.filter(community=mine, worker__user__isnull=True)[
        :2
    ]
    secretary = UserFactory(role=Role.SECRETARY, community=mine, worker=own.worker)
    foreign = Payslip.objects.filter(community=other).first()
    client.force_login(secretary)

    response = client.get(reverse("payroll:payslip-pdf", args=[own.pk]))
    refused = client.get(reverse("payroll:payslip-pdf", args=[foreign.pk]))
    colleagues = client.get(reverse("payroll:payslip-pdf", args=[colleague.pk]))

    assert "第二联" not in text_of(content_of(response))
    assert refused.status_code == 404
    assert colleagues.status_code == 404


def test_secretary_cannot_download_another_communitys_document(client, cycle):
    mine, other = Community.objects.order_by("code")[:2]
    client.force_login(UserFactory(role=Role.AUDITOR))
    foreign = Payslip.objects.filter(community=other).first()
    client.get(reverse("payroll:payslip-pdf", args=[foreign.pk]))
    document = IssuedDocument.objects.get()

    client.force_login(UserFactory(role=Role.SECRETARY, community=mine))
    response = client.get(reverse("core:document-download", args=[document.pk]))
    page = client.get(reverse("core:document-list")).content.decode()

    assert response.status_code == 404
    assert document.number not in page


def test_auditor_downloads_but_changes_nothing(client, cycle):
    auditor = UserFactory(role=Role.AUDITOR)
    client.force_login(auditor)
    payslip = Payslip.objects.first()
    before = list(Payslip.objects.order_by("pk").values_list("pk", "net", "lines"))

    pdf = client.get(reverse("payroll:payslip-pdf", args=[payslip.pk]))
    register = client.get(reverse("payroll:cycle-register-pdf", args=[cycle.pk]))
    cancel = client.post(reverse("payroll:cycle-action", args=[cycle.pk, "cancel"]))

    assert pdf.status_code == 200
    assert register.status_code == 200
    assert cancel.status_code in (302, 403)
    cycle.refresh_from_db()
    assert cycle.status == PayrollCycle.Status.LOCKED
    assert (
        list(Payslip.objects.order_by("pk").values_list("pk", "net", "lines")) == before
    )
    assert DownloadLog.objects.filter(user=auditor).count() == 2


def test_same_payslip_twice_is_byte_identical(client, cycle):
    client.force_login(UserFactory(role=Role.FINANCE))
    url = reverse("payroll:payslip-pdf", args=[Payslip.objects.first().pk])

    first = content_of(client.get(url))
    second = content_of(client.get(url))

    assert first == second
    assert IssuedDocument.objects.count() == 1
    assert DownloadLog.objects.count() == 2


def test_bulk_payslips_one_pdf_per_community_in_a_zip(
    client, cycle, django_capture_on_commit_callbacks
):
    auditor = UserFactory(role=Role.AUDITOR)
    client.force_login(auditor)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("core:batch-start"),
            {"kind": "payroll.payslips", "cycle": str(cycle.pk)},
        )

    batch = DocumentBatch.objects.get()
    assert batch.status == DocumentBatch.Status.DONE
    communities = Payslip.objects.values("community").distinct().count()
    assert batch.parts_total == communities
    documents = list(IssuedDocument.objects.filter(batch=batch))
    assert len(documents) == communities
    assert sum(d.pages for d in documents) == Payslip.objects.count()
    zipped = content_of(client.get(reverse("core:batch-download", args=[batch.pk])))
    archive = zipfile.ZipFile(io.BytesIO(zipped))
    assert len(archive.namelist()) == communities
    for document in documents:
        stored = archive.read(document.filename)
        assert pdf_signature_check(stored)
        for payslip in Payslip.objects.filter(community=document.community):
            assert payslip.worker.full_name in text_of(stored)
    assert DownloadLog.objects.get().batch == batch


def test_register_and_bank_list_total_the_cycle(client, cycle):
    client.force_login(UserFactory(role=Role.FINANCE))
    net = sum(p.net for p in Payslip.objects.all())

    register = text_of(
        content_of(client.get(reverse("payroll:cycle-register-pdf", args=[cycle.pk])))
    )
    bank = text_of(
        content_of(client.get(reverse("payroll:cycle-bank-list-pdf", args=[cycle.pk])))
    )

    assert yuan(net) in register
    assert yuan(net) in bank
    worker = Payslip.objects.select_related("worker").first().worker
    assert worker.bank_account in bank.replace(" ", "")


def test_yearly_tax_statement_holds_the_reconciliation_figures(client, cycle):
    payslip = Payslip.objects.select_related("worker").first()
    client.force_login(UserFactory(role=Role.FINANCE))

    response = client.get(
        reverse("payroll:tax-year-pdf", args=[payslip.worker_id, 2026])
    )

    text = text_of(content_of(response))
    assert "累计已预扣税额" in text
    assert yuan(payslip.tax_ytd["income"]) in text
    assert IssuedDocument.objects.get().kind == "tax_year"


def test_sample_is_repeatable_with_its_seed(client, cycle):
    client.force_login(UserFactory(role=Role.AUDITOR))
    query = {"sample_cycle": cycle.pk, "sample_size": 3, "sample_seed": 42}

    first = client.get(reverse("core:desk"), query).content.decode()
    second = client.get(reverse("core:desk"), query).content.decode()

    names = re.findall(
        r'<h3><a href="[^"]+">([^<]+)</a>', first.split("sample-note")[1]
    )
    assert len(names) == 3
    sample = first.split("sample-note")[1].split("</section>")[0]
    assert sample == second.split("sample-note")[1].split("</section>")[0]
    assert "标准工资" in sample


def test_every_file_download_goes_through_the_logging_helper():
    """No view sets a Content-Disposition or streams a file itself."""
    allowed = {Path("core/documents/downloads.py")}
    offenders = []
    for app in ("core", "payroll", "funding", "ratings", "config"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            relative = path.relative_to(settings.BASE_DIR)
            if relative in allowed or "migrations" in relative.parts:
                continue
            text = path.read_text(encoding="utf-8")
            if "Content-Disposition" in text or "FileResponse(" in text:
                offenders.append(str(relative))
    assert offenders == []


def test_english_reader_gets_an_english_payslip(client, cycle):
    payslip = Payslip.objects.select_related("worker").first()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(UserFactory(role=Role.FINANCE))

    text = text_of(
        content_of(client.get(reverse("payroll:payslip-pdf", args=[payslip.pk])))
    )

    assert "Payslip 2026-3" in text
    assert "Page 1 of" in text
    assert "Year to date" in text
    assert "Wuxi Civil Affairs Bureau" in text
    assert IssuedDocument.objects.get().language == "en"


def test_secretary_cannot_download_a_colleagues_payslip_document(client, cycle):
    from payroll.cycles.pdf import payslip_issue

    mine = Community.objects.order_by("code").first()
    colleague = Payslip.objects.filter(community=mine).first()
    # Without the employer's part, the copy a secretary could otherwise see.
    document = payslip_issue(
        payslip=colleague,
        issued_by=UserFactory(role=Role.FINANCE),
        with_employer=False,
    )

    client.force_login(UserFactory(role=Role.SECRETARY, community=mine))
    response = client.get(reverse("core:document-download", args=[document.pk]))
    page = client.get(reverse("core:document-list")).content.decode()

    assert response.status_code == 404
    assert document.number not in page

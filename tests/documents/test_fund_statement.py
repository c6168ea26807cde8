"""The fund statement as an issued document: signed, verifiable, stored,
served again byte for byte, replaced when its facts change; every download
logged; scope."""

import hashlib
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from core import clock
from core.documents.models import DocumentBatch, DownloadLog, IssuedDocument
from core.documents.signing import pdf_signature_check
from core.models import Role
from funding.models import FundYear
from tests.factories import CommunityFactory, UserFactory
from tests.funding.factories import FundYearFactory

pytestmark = pytest.mark.usefixtures("fund_reference")


@pytest.fixture
def fund_year():
    community = CommunityFactory(name="清扬社区")
    return FundYearFactory(community=community, year=clock.today().year)


@pytest.fixture
def auditor(fund_year):
    return UserFactory(role=Role.AUDITOR, username="auditor")


def pdf_text(content: bytes) -> str:
    return "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(content)).pages
    )


def download(client, user, fund_year):
    client.force_login(user)
    return client.get(reverse("funding:fund-year-statement", args=[fund_year.pk]))


def test_statement_is_signed_numbered_and_holds_its_figures(client, auditor, fund_year):
    response = download(client, auditor, fund_year)

    assert response.status_code == 200
    content = response.content
    document = IssuedDocument.objects.get()
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    text = pdf_text(content)
    assert "清扬社区" in text
    assert "200,000.00" in text
    assert document.number in text
    assert document.code in text
    assert "第 1 页" in text
    assert pdf_signature_check(content) is True


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="needs poppler-utils")
def test_pdfsig_reports_the_signature_valid(client, auditor, fund_year, tmp_path):
    content = download(client, auditor, fund_year).content
    path = tmp_path / "statement.pdf"
    path.write_bytes(content)

    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)

    assert "Signature is Valid" in report.stdout


def test_a_changed_byte_breaks_the_signature(client, auditor, fund_year):
    content = download(client, auditor, fund_year).content
    position = len(content) // 3
    tampered = (
        content[:position] + bytes([content[position] ^ 1]) + content[position + 1 :]
    )

    assert pdf_signature_check(tampered) is False


def test_downloaded_twice_is_byte_identical_and_logged_twice(
    client, auditor, fund_year
):
    first = download(client, auditor, fund_year).content
    second = download(client, auditor, fund_year).content

    assert first == second
    assert IssuedDocument.objects.count() == 1
    logs = DownloadLog.objects.order_by("id")
    assert logs.count() == 2
    assert {log.document_id for log in logs} == {IssuedDocument.objects.get().pk}
    assert logs[0].user == auditor
    assert logs[0].client_address == "127.0.0.1"
    assert logs[0].format == "pdf"


def test_changed_facts_make_a_new_number_that_replaces_the_old(
    client, auditor, fund_year
):
    download(client, auditor, fund_year)
    FundYear.objects.filter(pk=fund_year.pk).update(allocation=Decimal("250000.00"))

    download(client, auditor, fund_year)

    old, new = IssuedDocument.objects.order_by("id")
    assert new.number != old.number
    assert new.replaces == old
    page = client.get(reverse("core:verify", args=[old.code]))
    assert new.number in page.content.decode()


def test_verify_page_confirms_the_issued_file_and_refuses_a_changed_one(
    client, auditor, fund_year
):
    content = download(client, auditor, fund_year).content
    document = IssuedDocument.objects.get()
    client.logout()
    url = reverse("core:verify", args=[document.code])

    page = client.get(url)
    same = client.post(url, {"file": SimpleUploadedFile("a.pdf", content)})
    changed = content[:-10] + bytes([content[-10] ^ 1]) + content[-9:]
    other = client.post(url, {"file": SimpleUploadedFile("a.pdf", changed)})

    assert page.status_code == 200
    body = page.content.decode()
    assert document.number in body
    assert document.sha256 in body
    assert "清扬社区" in body
    assert "一致：" in same.content.decode()
    assert "不一致：" in other.content.decode()
    assert client.get(reverse("core:verify", args=["NOSUCHCODE22"])).status_code == 404


def test_secretary_cannot_download_another_communitys_statement(
    client, fund_year, auditor
):
    download(client, auditor, fund_year)
    document = IssuedDocument.objects.get()
    other = UserFactory(role=Role.SECRETARY, community=CommunityFactory())

    assert download(client, other, fund_year).status_code == 404
    response = client.get(reverse("core:document-download", args=[document.pk]))
    assert response.status_code == 404
    listing = client.get(reverse("core:document-list"))
    assert document.number not in listing.content.decode()


def test_auditor_downloads_but_changes_nothing(client, auditor, fund_year):
    download(client, auditor, fund_year)
    document = IssuedDocument.objects.get()

    response = client.post(reverse("funding:fund-year-close", args=[fund_year.pk]))

    assert response.status_code in (302, 403)
    fund_year.refresh_from_db()
    assert fund_year.is_open
    with pytest.raises(ValidationError):
        document.save()
    with pytest.raises(ValidationError):
        document.delete()


def test_download_log_is_append_only_and_read_by_auditors(client, auditor, fund_year):
    download(client, auditor, fund_year)
    log = DownloadLog.objects.get()
    with pytest.raises(ValidationError):
        log.save()
    with pytest.raises(ValidationError):
        log.delete()

    page = client.get(reverse("core:download-log"))
    export = client.get(reverse("core:download-log-export"))

    assert log.filename in page.content.decode()
    assert export.status_code == 200
    assert DownloadLog.objects.count() == 2  # the export is logged too
    secretary = UserFactory(role=Role.SECRETARY, community=fund_year.community)
    client.force_login(secretary)
    assert client.get(reverse("core:download-log")).status_code == 403


def test_admin_cannot_change_or_delete_the_log(
    admin_client, auditor, fund_year, client
):
    download(client, auditor, fund_year)
    log = DownloadLog.objects.get()

    change = admin_client.post(
        reverse("admin:core_downloadlog_change", args=[log.pk]), {"what": "x"}
    )
    delete = admin_client.post(
        reverse("admin:core_downloadlog_delete", args=[log.pk]), {"post": "yes"}
    )

    assert change.status_code in (302, 403)
    assert delete.status_code == 403
    log.refresh_from_db()
    assert log.what != "x"


def test_bulk_statements_of_a_year_zip_every_community(
    client, auditor, fund_year, django_capture_on_commit_callbacks
):
    second = FundYearFactory(year=fund_year.year)
    client.force_login(auditor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:batch-start"),
            {"kind": "funding.statements", "year": str(fund_year.year)},
        )

    batch = DocumentBatch.objects.get()
    assert response.url == reverse("core:batch-detail", args=[batch.pk])
    assert batch.status == "done"
    assert batch.progress_percent == 100
    zipped = b"".join(
        client.get(reverse("core:batch-download", args=[batch.pk])).streaming_content
    )
    names = zipfile.ZipFile(io.BytesIO(zipped)).namelist()
    assert len(names) == 2
    assert IssuedDocument.objects.filter(batch=batch).count() == 2
    assert {d.community_id for d in IssuedDocument.objects.all()} == {
        fund_year.community_id,
        second.community_id,
    }
    assert DownloadLog.objects.get().batch == batch
    # Resuming a finished batch issues nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:batch-resume", args=[batch.pk]))
    assert IssuedDocument.objects.count() == 2


def test_english_reader_gets_an_english_statement(client, auditor, fund_year):
    client.force_login(auditor)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("funding:fund-year-statement", args=[fund_year.pk]))

    text = pdf_text(response.content)
    assert "Page 1" in text


def test_document_pages_have_no_chinese_left_in_english(client):
    import re

    from tests.factories import StreetFactory

    community = CommunityFactory(
        name="Harbour",
        street=StreetFactory(name="Riverside", district__name="Lakeside"),
    )
    fund_year = FundYearFactory(community=community, year=clock.today().year)
    client.cookies["django_language"] = "en"
    client.force_login(UserFactory(role=Role.AUDITOR, first_name="Ann"))
    client.get(reverse("funding:fund-year-statement", args=[fund_year.pk]))
    document = IssuedDocument.objects.get()
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")

    for url in (
        reverse("core:desk"),
        reverse("core:document-list"),
        reverse("core:download-log"),
        reverse("core:verify", args=[document.code]),
    ):
        page = client.get(url).content.decode()
        found = set(cjk.findall(page)) - {"简体中文"}
        assert not found, (
            url,
            [page[max(0, page.find(w) - 80) : page.find(w) + 20] for w in found],
        )


def test_a_batch_resumes_only_the_parts_not_done(
    client, auditor, fund_year, monkeypatch, django_capture_on_commit_callbacks
):
    """A worker lost after one part: resuming issues the rest, not it again."""
    from core.documents.batches import document_batch_resume, document_batch_start
    from core.tasks import document_batch_part_task
    from funding import documents

    monkeypatch.setattr(documents, "STATEMENTS_PER_PART", 1)
    FundYearFactory(year=fund_year.year)
    with django_capture_on_commit_callbacks(execute=False):
        batch = document_batch_start(
            kind="funding.statements",
            params={"year": str(fund_year.year)},
            requested_by=auditor,
        )
    document_batch_part_task.apply((batch.pk, 0))
    batch.refresh_from_db()
    assert (batch.parts_done, batch.status) == (1, "running")
    first = IssuedDocument.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        document_batch_resume(batch=batch)

    batch.refresh_from_db()
    assert batch.status == "done"
    assert IssuedDocument.objects.count() == 2
    assert IssuedDocument.objects.filter(pk=first.pk, batch=batch).exists()
    assert batch.progress_percent == 100

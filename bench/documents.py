"""Benchmark: issue a month's payslips as signed PDFs, in bulk and one alone.

    .venv/bin/python bench/documents.py --payslips 1000

Builds a demo city with about N workers in a fresh database (a temporary
SQLite file unless DATABASE_URL is set), computes, approves and locks a month,
then times (1) the bulk job that issues the month's payslips, one PDF per
community, as a background batch, and (2) one payslip issued alone, warm.
Prints one JSON line: ``documents``, ``pages``, ``seconds`` (the bulk job),
``pages_per_second``, ``single_payslip_ms``, ``served_again_ms`` (the same
document downloaded again), ``peak_rss_mb`` and ``verified`` (the share of
issued documents whose signature validates and whose verification page
confirms the file). With CELERY_BROKER_URL set, the parts go to the running
Celery workers (give them the same DATABASE_URL and PRIVATE_MEDIA_ROOT) and
the clock stops when the batch is done.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--payslips", type=int, default=1000)
    parser.add_argument("--per-community", type=int, default=16)
    parser.add_argument("--month", default="2026-03", help="YYYY-MM")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument(
        "--verify",
        type=int,
        default=50,
        help="check this many issued documents (signature and verification page)",
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    # The bench's auditor downloads without a TOTP device.
    os.environ.setdefault("DJANGO_TWO_FACTOR_REQUIRED", "false")
    tmp = tempfile.TemporaryDirectory()
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", f"{tmp.name}/private_media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from core.documents import batches, services, signing
    from core.documents.models import DocumentBatch, IssuedDocument
    from core.models import Role, User
    from payroll.cycles.pdf import payslip_issue
    from payroll.cycles.services import (
        payroll_cycle_approve,
        payroll_cycle_lock,
        payroll_cycle_start,
    )
    from payroll.models import PayrollCycle, Payslip

    call_command("migrate", verbosity=0)
    if connection.vendor != "sqlite":
        call_command("flush", interactive=False, verbosity=0)
    communities = max(1, round(args.payslips / args.per_community))
    with open(os.devnull, "w") as devnull:
        call_command(
            "seed_demo",
            "--communities", str(communities),
            "--workers-per-community", str(args.per_community),
            "--seed", "1",
            stdout=devnull,
        )  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    maker = User.objects.filter(role=Role.FINANCE).first()
    checker = User.objects.filter(role=Role.FINANCE).exclude(pk=maker.pk).first()
    auditor = User.objects.filter(role=Role.AUDITOR).first()
    year, month = (int(x) for x in args.month.split("-"))
    cycle = payroll_cycle_start(year=year, month=month, actor=maker)
    # The demo city may already hold the month, locked (seed_demo lives the
    # months up to today): then its payslips are the ones to print.
    while cycle.status not in (
        PayrollCycle.Status.COMPUTED,
        PayrollCycle.Status.FAILED,
        PayrollCycle.Status.LOCKED,
    ):
        time.sleep(0.2)
        cycle.refresh_from_db()
    if cycle.status == PayrollCycle.Status.FAILED:
        raise SystemExit(f"cycle failed: {cycle.error}")
    if cycle.status == PayrollCycle.Status.COMPUTED:
        payroll_cycle_approve(cycle=cycle, actor=checker)
        payroll_cycle_lock(cycle=cycle, actor=checker)
    signing.signer_get()  # the demo certificate, made once, outside the clock

    # One payslip alone, warm: a first one warms fonts, templates and signer.
    first, second = (
        Payslip.objects.select_related(
            "worker__post", "community__street__district", "cycle"
        )
        .filter(cycle=cycle)
        .order_by("pk")[:2]
    )
    payslip_issue(payslip=first, issued_by=auditor, with_employer=True)
    started, cpu_started = time.perf_counter(), time.process_time()
    single = payslip_issue(payslip=second, issued_by=auditor, with_employer=True)
    single_ms = (time.perf_counter() - started) * 1000
    single_cpu_ms = (time.process_time() - cpu_started) * 1000
    client = Client()
    client.force_login(auditor)
    started = time.perf_counter()
    response = client.get(f"/documents/{single.pk}/", secure=True)
    assert response.status_code == 200, response.status_code
    assert response.content
    served_ms = (time.perf_counter() - started) * 1000

    started, cpu_started = time.perf_counter(), time.process_time()
    batch = batches.document_batch_start(
        kind="payroll.payslips", params={"cycle": str(cycle.pk)}, requested_by=auditor
    )
    while True:
        batch.refresh_from_db()
        if batch.status != DocumentBatch.Status.RUNNING:
            break
        if time.perf_counter() - started > args.timeout:
            break
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    documents = list(IssuedDocument.objects.filter(batch=batch))
    pages = sum(d.pages for d in documents)

    checked = [*documents[: args.verify], single]
    good = 0
    for document in checked:
        content = services.document_content(document)
        page = client.post(
            f"/verify/{document.code}/",
            {"file": _upload(content, document.filename)},
            secure=True,
        ).content.decode()
        confirmed = 'class="tag ok" id="verify-result"' in page
        if confirmed and signing.pdf_signature_check(content):
            good += 1
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "payslips": Payslip.objects.filter(cycle=cycle).count(),
                "documents": len(documents),
                "pages": pages,
                "status": batch.status,
                "seconds": round(seconds, 3),
                "cpu_seconds_in_this_process": round(cpu, 3),
                "pages_per_second": round(pages / seconds, 1) if seconds else None,
                # In-process the bulk job runs in this process: pages per
                # CPU-second is what a core does, whatever the machine's load.
                "pages_per_cpu_second": round(pages / cpu, 1)
                if not os.environ.get("CELERY_BROKER_URL") and cpu
                else None,
                "single_payslip_ms": round(single_ms, 1),
                "single_payslip_cpu_ms": round(single_cpu_ms, 1),
                "served_again_ms": round(served_ms, 1),
                "peak_rss_mb": round(peak_kb / 1024, 1),
                "verified": round(good / len(checked), 3),
                "verified_sample": len(checked),
                "workers": "celery"
                if os.environ.get("CELERY_BROKER_URL")
                else "in-process",
                "database": connection.vendor,
            }
        )
    )
    tmp.cleanup()


def _upload(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


if __name__ == "__main__":
    main()

"""Benchmark: preview and confirm a roster import of N rows.

    .venv/bin/python bench/imports.py --rows 20000

Builds a demo city in a fresh database (a temporary SQLite file unless
DATABASE_URL is set), writes an xlsx roster of N new workers spread over its
communities, then times the preview (the file read, every row checked, the report and the
plan kept, core.import_jobs) and the confirm (the checked plan written after a
recheck of its keys), as the import page runs them, and prints one JSON line:
``{"rows": N, "preview_seconds": s, "confirm_seconds": s, "peak_rss_mb": m,
...}`` with the process CPU seconds of each and the load average (the
machine may be shared).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--communities", type=int, default=60)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
    tmp = None
    if "DATABASE_URL" not in os.environ:
        tmp = tempfile.TemporaryDirectory()
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    media = tempfile.TemporaryDirectory()  # the kept previews, thrown away after
    os.environ["PRIVATE_MEDIA_ROOT"] = media.name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from openpyxl import Workbook

    from core.imports import dataset_from_upload
    from core.models import Community, Post, Role, User, Worker
    from core.resources import WorkerResource
    from tests.factories import make_id_number

    call_command("migrate", verbosity=0)
    if connection.vendor != "sqlite":
        call_command("flush", interactive=False, verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command(
            "seed_demo", "--communities", str(args.communities),
            "--workers-per-community", "4", "--seed", "1", "--no-history",
            stdout=devnull,
        )  # fmt: skip
    user = User.objects.get(role=Role.CITY_STAFF, username="city")
    codes = list(Community.objects.values_list("code", flat=True))
    post = Post.objects.order_by("sort_order").first()
    taken = set(Worker.objects.values_list("id_number", flat=True))

    resource_ = WorkerResource(user=user)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(resource_.get_export_headers())
    headers = resource_.get_export_headers()
    born = date(1970, 1, 1)
    written = 0
    offset = 0
    while written < args.rows:
        number = make_id_number(born + timedelta(days=offset), male=offset % 2 == 0)
        offset += 1
        if number in taken:
            continue
        taken.add(number)
        values = {
            "身份证号": number,
            "姓名": f"测试{written:05d}",
            "社区代码": codes[written % len(codes)],
            "岗位代码": post.code,
            "等级": post.lowest_level,
            "参加社区工作日期": "2015-03-01",
            "入职日期": "2015-03-01",
            "状态": "在岗",
            "学历学位": "学士",
        }
        sheet.append([values.get(h, "") for h in headers])
        written += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()

    from core.import_jobs import import_job_check, import_job_confirm, import_job_create

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The preview, as the import page runs it: the file read (read-only
    # openpyxl), every row checked, the report and the plan kept.
    started, cpu_started = time.perf_counter(), cpu()
    upload = SimpleUploadedFile("roster.xlsx", content)
    dataset = dataset_from_upload(upload)
    job = import_job_create(kind="roster", user=user, uploaded=upload)
    preview = import_job_check(job, dataset)
    del dataset
    preview_seconds, preview_cpu = time.perf_counter() - started, cpu() - cpu_started
    preview_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The confirm: the checked plan written after a recheck of its keys.
    started, cpu_started = time.perf_counter(), cpu()
    counts = import_job_confirm(user=user, kind="roster", token=job.token)
    confirm_seconds, confirm_cpu = time.perf_counter() - started, cpu() - cpu_started
    # The same file again: every row now an existing worker, unchanged.
    started = time.perf_counter()
    upload = SimpleUploadedFile("roster.xlsx", content)
    again = import_job_create(kind="roster", user=user, uploaded=upload)
    repeat = import_job_check(again, dataset_from_upload(upload))
    repeat_seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "rows": args.rows,
                "file_kb": round(len(content) / 1024),
                "preview_seconds": round(preview_seconds, 2),
                "preview_cpu_seconds": round(preview_cpu, 2),
                "confirm_seconds": round(confirm_seconds, 2),
                "confirm_cpu_seconds": round(confirm_cpu, 2),
                "preview_errors": len(preview.error_rows),
                "repeat_preview_seconds": round(repeat_seconds, 2),
                "repeat_unchanged_rows": repeat.counts["skip"],
                "saved": counts,
                "workers_after": Worker.objects.count(),
                "peak_rss_mb_before_import": round(rss_before / 1024, 1),
                "peak_rss_mb_after_preview": round(preview_rss / 1024, 1),
                "peak_rss_mb": round(peak_kb / 1024, 1),
                "load_average": [round(x, 2) for x in os.getloadavg()],
                "database": connection.vendor,
                "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()

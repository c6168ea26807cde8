"""Benchmark: preview and confirm a roster import of N rows.

    .venv/bin/python bench/imports.py --rows 20000

Builds a demo city in a fresh database (a temporary SQLite file unless
DATABASE_URL is set), writes an xlsx roster of N new workers spread over its
communities, then times the preview (a dry run: every row checked) and the
confirm (the same file saved), as the import page runs them, and prints one
JSON line: ``{"rows": N, "preview_seconds": s, "confirm_seconds": s,
"peak_rss_mb": m, ...}``.
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
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from openpyxl import Workbook

    import core.imports as core_imports
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

    def run(dry_run: bool) -> tuple[float, object]:
        started = time.perf_counter()
        upload = SimpleUploadedFile("roster.xlsx", content)
        report = core_imports.import_dataset(
            WorkerResource(user=user), dataset_from_upload(upload), dry_run=dry_run
        )
        return time.perf_counter() - started, report

    preview_seconds, preview = run(True)
    confirm_seconds, saved = run(False)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "rows": args.rows,
                "file_kb": round(len(content) / 1024),
                "preview_seconds": round(preview_seconds, 2),
                "confirm_seconds": round(confirm_seconds, 2),
                "preview_errors": len(preview.error_rows),
                "saved": saved.saved,
                "workers_after": Worker.objects.count(),
                "peak_rss_mb": round(peak_kb / 1024, 1),
                "database": connection.vendor,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()

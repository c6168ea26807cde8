"""Roster imports at scale: bulk checks, the kept preview, background previews."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.import_jobs import import_job_check, import_job_confirm, import_job_create
from core.imports import ImportFileError, dataset_from_upload, import_dataset
from core.models import ChangeLog, ImportJob, Role, Worker
from core.resources import WorkerResource
from core.rules import mask_citizen_id
from payroll.models import LevelChange
from tests.core.test_imports import HEADERS, csv_upload, good_row
from tests.factories import (
    CommunityFactory,
    PostFactory,
    UserFactory,
    WorkerFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    PostFactory(code="staff")
    PostFactory(code="principal")
    return CommunityFactory()


@pytest.fixture
def city_staff():
    return UserFactory(role=Role.CITY_STAFF)


def rows_of(community, count):
    born = date(1975, 1, 1)
    return [
        good_row(
            community,
            id_number=make_id_number(born + timedelta(days=i), male=i % 2 == 0),
            name=f"测试{i:04d}",
        )
        for i in range(count)
    ]


def queries_of(action):
    """(queries other than INSERTs, INSERTs, result): an INSERT carries as many
    rows as the database takes in one statement (SQLite: 999 parameters), so
    only the INSERTs may grow with the rows, by batches."""
    with CaptureQueriesContext(connection) as captured:
        result = action()
    inserts = sum(1 for q in captured if q["sql"].lstrip().upper().startswith("INSERT"))
    return len(captured) - inserts, inserts, result


def preview(rows, user):
    upload = csv_upload(rows)
    dataset = dataset_from_upload(upload)
    job = import_job_create(kind="roster", user=user, uploaded=upload)
    return job, import_job_check(job, dataset)


# -- bulk checks and saves -------------------------------------------------------


def test_import_queries_do_not_grow_with_the_rows(community, city_staff):
    def run(count):
        dataset = dataset_from_upload(csv_upload(rows_of(community, count)))
        return queries_of(
            lambda: import_dataset(
                WorkerResource(user=city_staff), dataset, dry_run=False
            )
        )

    few, _few_inserts, small = run(50)
    Worker.objects.all().delete()
    many, many_inserts, large = run(500)

    assert small.saved
    assert large.saved
    assert Worker.objects.count() == 500
    assert many == few, (few, many)
    # 500 rows, five tables written (workers, level changes, positions,
    # certificates, change log): a few dozen INSERTs, not one a row.
    assert many_inserts <= 5 * (500 // 40 + 1), many_inserts
    assert many + many_inserts < 500 // 5


def test_bulk_save_keeps_the_level_history_positions_and_change_log(
    community, city_staff
):
    worker = WorkerFactory(community=community, level=2)
    worker.positions.create(position="director", started_on=date(2019, 4, 1))
    changed = good_row(community, id_number=worker.id_number, level=5)
    new = good_row(community, name="周新")

    report = import_dataset(
        WorkerResource(user=city_staff),
        dataset_from_upload(csv_upload([changed, new])),
        dry_run=False,
    )

    assert report.saved
    assert report.counts["new"] == 1
    assert report.counts["update"] == 1
    worker.refresh_from_db()
    assert worker.level == 5
    moved = LevelChange.objects.get(worker=worker, old_level=2)
    assert (moved.new_level, moved.reason) == (5, LevelChange.Reason.IMPORT)
    assert moved.actor == city_staff
    newcomer = Worker.objects.get(full_name="周新")
    placed = LevelChange.objects.get(worker=newcomer)
    assert (placed.old_level, placed.new_level) == (None, 3)
    assert placed.effective_on == newcomer.joined_on
    # the director's post ended, the staff post began; both recorded
    assert set(worker.positions.filter(ended_on__isnull=True).values_list("position", flat=True)) == {"staff"}  # fmt: skip
    assert worker.positions.get(position="director").ended_on is not None
    assert newcomer.certificates.get().kind == "intermediate"
    entries = ChangeLog.objects.filter(object_id=str(worker.pk))
    assert entries.filter(
        action=ChangeLog.Action.IMPORT, changes__level=[2, 5]
    ).exists()
    assert entries.filter(changes__has_key="positions").exists()


def test_every_problem_of_a_row_is_listed_model_checks_included(community, city_staff):
    row = good_row(community)
    row[0] = row[0][:17] + ("0" if row[0][17] != "0" else "1")  # bad checksum
    row[2] = "NOPE"  # unknown community
    row[4] = 13  # beyond the post's levels
    row[7] = "2999-01-01"  # joined in the future
    row[8] = "门卫"  # unknown position

    report = import_dataset(
        WorkerResource(user=city_staff),
        dataset_from_upload(csv_upload([row, good_row(community)])),
        dry_run=True,
    )

    assert [r.number for r in report.error_rows] == [1]
    errors = report.error_rows[0].errors
    for problem in (
        "身份证号：身份证号校验码错误。",
        "社区代码：代码“NOPE”不存在或不在您的范围内。",
        "等级：等级 13 超出岗位",
        "入职日期：日期不能晚于今天。",
        "未知职务“门卫”",
    ):
        assert any(problem in e for e in errors), (problem, errors)


def test_problems_are_told_in_english_for_an_english_user(community, city_staff):
    row = good_row(community)
    row[7] = "2999-01-01"
    with translation.override("en"):
        report = import_dataset(
            WorkerResource(user=city_staff),
            dataset_from_upload(csv_upload([row])),
            dry_run=True,
        )
    assert "The date cannot be after today." in " ".join(report.error_rows[0].errors)


def test_a_file_past_the_row_limit_is_refused_while_read(community, settings):
    settings.IMPORT_MAX_ROWS = 3
    with pytest.raises(ImportFileError) as refused:
        dataset_from_upload(csv_upload(rows_of(community, 5)))
    assert "一次最多导入 3 行" in str(refused.value)


def test_an_xlsx_past_the_row_limit_is_refused_and_a_short_one_read(settings):
    from openpyxl import Workbook

    def written(count):  # write-only: no <dimension> tag, as large files come
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(["身份证号", "姓名"])
        for i in range(count):
            sheet.append([f"{i}", "张三"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return SimpleUploadedFile("r.xlsx", buffer.getvalue())

    settings.IMPORT_MAX_ROWS = 3
    with pytest.raises(ImportFileError, match="一次最多导入 3 行"):
        dataset_from_upload(written(10))
    dataset = dataset_from_upload(written(3))
    assert dataset.headers == ["身份证号", "姓名"]
    assert [row[0] for row in dataset] == ["0", "1", "2"]


# -- the confirm reuses the checked preview ------------------------------------------


def test_confirm_writes_the_checked_plan_without_checking_again(
    community, city_staff, monkeypatch
):
    job, report = preview(rows_of(community, 20), city_staff)
    assert not report.has_errors
    job.refresh_from_db()
    assert (job.status, job.rows_total, job.counts["new"]) == ("checked", 20, 20)

    def no_second_check(*args, **kwargs):
        raise AssertionError("the confirm checked the rows again")

    monkeypatch.setattr(WorkerResource, "bulk_check", no_second_check)
    counts = import_job_confirm(user=city_staff, kind="roster", token=job.token)

    assert counts["new"] == 20
    assert Worker.objects.count() == 20
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SAVED
    with pytest.raises(ValueError, match="导入已过期"):
        import_job_confirm(user=city_staff, kind="roster", token=job.token)


def test_confirm_queries_do_not_grow_with_the_rows(community, city_staff):
    def confirm(count):
        job, _report = preview(rows_of(community, count), city_staff)
        return queries_of(
            lambda: import_job_confirm(user=city_staff, kind="roster", token=job.token)
        )[0]  # the queries besides the batched INSERTs

    few = confirm(40)
    Worker.objects.all().delete()
    many = confirm(400)
    assert many == few


def test_confirm_refused_when_a_worker_with_the_same_id_appeared(community, city_staff):
    rows = rows_of(community, 3)
    job, _report = preview(rows, city_staff)
    WorkerFactory(community=community, id_number=rows[1][0])

    with pytest.raises(ValueError, match="预览后已有人员使用身份证号"):
        import_job_confirm(user=city_staff, kind="roster", token=job.token)
    assert Worker.objects.count() == 1  # all or nothing


def test_confirm_refused_when_an_updated_worker_changed_meanwhile(
    community, city_staff
):
    worker = WorkerFactory(community=community, level=2)
    job, report = preview(
        [
            good_row(community, id_number=worker.id_number, level=4),
            *rows_of(community, 2),
        ],
        city_staff,
    )
    assert report.counts["update"] == 1
    worker.phone = "13900000000"
    worker.save()

    with pytest.raises(ValueError, match="已被修改"):
        import_job_confirm(user=city_staff, kind="roster", token=job.token)
    worker.refresh_from_db()
    assert worker.level == 2
    assert Worker.objects.count() == 1


def test_a_preview_belongs_to_its_user(community, city_staff):
    job, _report = preview(rows_of(community, 2), city_staff)
    other = UserFactory(role=Role.CITY_STAFF)
    with pytest.raises(ValueError, match="导入已过期"):
        import_job_confirm(user=other, kind="roster", token=job.token)
    assert Worker.objects.count() == 0


def test_an_expired_preview_is_refused(community, city_staff, settings):
    job, _report = preview(rows_of(community, 2), city_staff)
    settings.IMPORT_PREVIEW_MINUTES = 0
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=job.created_at - timedelta(minutes=1)
    )
    with pytest.raises(ValueError, match="导入已过期"):
        import_job_confirm(user=city_staff, kind="roster", token=job.token)


# -- pages: small previews at once, large ones in the background -----------------------


def upload_form(rows):
    return {"file": csv_upload(rows)}


def test_a_small_roster_previews_at_once_and_confirms(client, community, city_staff):
    client.force_login(city_staff)
    url = reverse("core:roster-import")

    page = client.post(url, upload_form(rows_of(community, 3)))
    assert page.status_code == 200
    assert b'id="confirm-import"' in page.content
    job = ImportJob.objects.get()

    done = client.post(url, {"action": "confirm", "token": job.token})
    assert done.status_code == 302
    assert Worker.objects.count() == 3


def test_a_large_roster_is_checked_in_the_background_with_progress(
    client, community, city_staff, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 2
    client.force_login(city_staff)
    url = reverse("core:roster-import")

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url, upload_form(rows_of(community, 5)))

    job = ImportJob.objects.get()
    assert started.status_code == 302
    assert started["Location"] == reverse("core:import-job", args=[job.pk])
    progress = client.get(reverse("core:import-job-progress", args=[job.pk])).json()
    assert progress == {
        "status": "checked",
        "status_label": "已检查",
        "rows_done": 5,
        "rows_total": 5,
        "percent": 100,
        "done": True,
    }
    result = client.get(started["Location"])
    assert b'id="confirm-import"' in result.content
    assert Worker.objects.count() == 0

    client.post(url, {"action": "confirm", "token": job.token})
    assert Worker.objects.count() == 5


def test_a_queued_job_shows_its_progress_page(client, community, city_staff):
    client.force_login(city_staff)
    job = import_job_create(
        kind="roster",
        user=city_staff,
        uploaded=csv_upload(rows_of(community, 3)),
    )
    ImportJob.objects.filter(pk=job.pk).update(rows_total=3000, rows_done=1000)

    page = client.get(reverse("core:import-job", args=[job.pk]))
    assert b"data-import-progress-url" in page.content
    progress = client.get(reverse("core:import-job-progress", args=[job.pk])).json()
    assert (progress["percent"], progress["done"]) == (33, False)


def test_background_result_lists_the_bad_rows_by_page(
    client, community, city_staff, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 2
    client.force_login(city_staff)
    rows = rows_of(community, 150)
    for row in rows[:120]:
        row[4] = 13
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:roster-import"), upload_form(rows))
    job = ImportJob.objects.get()
    assert job.error_rows == 120

    first = client.get(reverse("core:import-job", args=[job.pk])).content.decode()
    second = client.get(
        reverse("core:import-job", args=[job.pk]) + "?page=2"
    ).content.decode()
    assert first.count('class="bad" data-row=') == 100
    assert second.count('class="bad" data-row=') == 20
    assert 'id="confirm-import"' not in first
    assert "第 1 页，共 2 页" in first


@pytest.mark.parametrize(
    "role", [Role.CITY_STAFF, Role.STREET_OFFICER, Role.AUDITOR, Role.FINANCE]
)
def test_only_the_uploader_with_a_roster_role_sees_the_job(
    client, community, city_staff, role
):
    job = import_job_create(
        kind="roster", user=city_staff, uploaded=csv_upload(rows_of(community, 1))
    )
    client.force_login(UserFactory(role=role, community=None))
    for name in ("core:import-job", "core:import-job-progress"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_the_uploader_who_lost_the_role_is_refused(client, community, city_staff):
    job = import_job_create(
        kind="roster", user=city_staff, uploaded=csv_upload(rows_of(community, 1))
    )
    city_staff.role = Role.AUDITOR
    city_staff.save()
    client.force_login(city_staff)
    for name in ("core:import-job", "core:import-job-progress"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 403


def test_wrong_headers_on_the_page_give_one_message(client, community, city_staff):
    client.force_login(city_staff)
    buffer = io.StringIO("ID,Name\n1,x\n")
    upload = SimpleUploadedFile("r.csv", buffer.getvalue().encode())

    page = client.post(reverse("core:roster-import"), {"file": upload})

    text = page.content.decode()
    assert text.count("表头不符") == 1
    assert "身份证号、姓名、社区代码" in text
    assert 'id="confirm-import"' not in text
    assert HEADERS[0] in text


# -- kept previews: their lifetime and what the pages show ------------------------------


def _files_of(job):
    from django.conf import settings

    folder = settings.PRIVATE_MEDIA_ROOT / "imports"
    return sorted(p.name for p in folder.glob(f"{job.token}*"))


def _age(job, minutes):
    past = job.created_at - timedelta(minutes=minutes)
    ImportJob.objects.filter(pk=job.pk).update(created_at=past, finished_at=past)


def test_the_periodic_prune_removes_expired_previews_and_keeps_running_ones(
    community, city_staff, settings
):
    from core.tasks import import_jobs_prune_task

    settings.IMPORT_PREVIEW_MINUTES = 60
    expired, _report = preview(rows_of(community, 2), city_staff)
    fresh, _report = preview(rows_of(community, 2), UserFactory(role=Role.CITY_STAFF))
    queued = import_job_create(
        kind="roster", user=city_staff, uploaded=csv_upload(rows_of(community, 2))
    )
    checking = import_job_create(
        kind="roster", user=city_staff, uploaded=csv_upload(rows_of(community, 2))
    )
    ImportJob.objects.filter(pk=checking.pk).update(status=ImportJob.Status.CHECKING)
    for job in (expired, queued, checking):
        _age(job, 90)
    assert _files_of(expired) == [
        f"{expired.token}.plan.json",
        f"{expired.token}.report.json",
    ]

    assert import_jobs_prune_task() == 1

    assert set(ImportJob.objects.values_list("pk", flat=True)) == {
        fresh.pk,
        queued.pk,
        checking.pk,
    }
    assert _files_of(expired) == []  # full ID and bank numbers gone
    assert _files_of(queued) == [f"{queued.token}.csv"]  # its task still reads it
    assert any(
        entry["task"] == "core.tasks.import_jobs_prune_task"
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
    )


def test_the_next_upload_keeps_the_users_jobs_still_being_checked(
    client, community, city_staff
):
    queued = import_job_create(
        kind="roster", user=city_staff, uploaded=csv_upload(rows_of(community, 2))
    )
    _age(queued, 90)
    ImportJob.objects.filter(pk=queued.pk).update(finished_at=None)
    client.force_login(city_staff)

    client.post(reverse("core:roster-import"), upload_form(rows_of(community, 2)))

    assert ImportJob.objects.filter(pk=queued.pk).exists()
    assert _files_of(queued) == [f"{queued.token}.csv"]


def test_an_abandoned_job_is_pruned_after_a_day(community, city_staff):
    from core.import_jobs import import_jobs_prune

    queued = import_job_create(
        kind="roster", user=city_staff, uploaded=csv_upload(rows_of(community, 2))
    )
    _age(queued, 25 * 60)

    assert import_jobs_prune() == 1
    assert _files_of(queued) == []


def test_the_confirm_window_runs_from_the_end_of_the_check(
    community, city_staff, settings
):
    settings.IMPORT_PREVIEW_MINUTES = 60
    job, _report = preview(rows_of(community, 2), city_staff)
    # uploaded 90 minutes ago, checked (in the background) 10 minutes ago
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=job.created_at - timedelta(minutes=90),
        finished_at=job.finished_at - timedelta(minutes=10),
    )

    import_job_confirm(user=city_staff, kind="roster", token=job.token)
    assert Worker.objects.count() == 2


def test_a_stale_confirm_names_the_numbers_masked_in_the_readers_punctuation(
    community, city_staff
):
    rows = rows_of(community, 3)
    job, _report = preview(rows, city_staff)
    for row in rows[:2]:
        WorkerFactory(community=community, id_number=row[0])

    with (
        translation.override("en"),
        pytest.raises(ValueError, match="ID numbers") as refused,
    ):
        import_job_confirm(user=city_staff, kind="roster", token=job.token)
    message = str(refused.value)
    assert "、" not in message, message
    assert "：" not in message, message
    assert rows[0][0] not in message
    assert f"{mask_citizen_id(rows[0][0])}, {mask_citizen_id(rows[1][0])}" in message


def test_row_problems_read_with_english_punctuation(community, city_staff):
    row = good_row(community)
    row[7] = "2999-01-01"
    with translation.override("en"):
        report = import_dataset(
            WorkerResource(user=city_staff),
            dataset_from_upload(csv_upload([row])),
            dry_run=True,
        )
    errors = report.error_rows[0].errors
    assert errors
    assert all("：" not in text for text in errors), errors


def test_the_progress_page_reads_with_english_punctuation(
    client, community, city_staff, settings
):
    job = import_job_create(
        kind="roster", user=city_staff, uploaded=csv_upload(rows_of(community, 2))
    )
    client.force_login(city_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("core:import-job", args=[job.pk])).content.decode()
    assert "data-import-progress-url" in page
    assert "：" not in page


def test_the_page_shows_as_many_values_per_row_as_kept(
    client, community, city_staff, monkeypatch
):
    from core import import_jobs

    monkeypatch.setattr(import_jobs, "VALUES_SHOWN", 2)
    rows = rows_of(community, 2)
    rows[1][0] = "bad"
    client.force_login(city_staff)

    page = client.post(reverse("core:roster-import"), upload_form(rows))
    # both rows listed, two of their 13 values each (the page had 4 hard-coded)
    assert page.content.decode().count('<span class="cell">') == 4

"""A level set by hand that the placement rule would not give (DOMAIN A2,
A3) is flagged, not refused: the roster import's preview warns on the row
with the rule's level and its breakdown, the saved history keeps it as an
override with its reason, and the worker page says the level differs."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core import clock
from core.imports import dataset_from_upload, import_dataset
from core.models import Community, Post, Role, Worker
from core.resources import WorkerResource
from payroll.levels.checks import LevelChecker, reference_day
from payroll.levels.selectors import level_history_by_worker
from payroll.levels.services import override_difference
from payroll.models import LevelChange
from tests.factories import CommunityFactory, UserFactory, make_id_number
from tests.payroll.factories import scale_version

pytestmark = pytest.mark.django_db

HEADERS = [
    "身份证号", "姓名", "社区代码", "岗位代码", "等级", "参加社区工作日期",
    "学历学位", "入职日期", "最高社工证书", "证书取得日期", "等级调整理由",
]  # fmt: skip
TODAY = date(2026, 3, 10)


@pytest.fixture
def city():
    scale_version()
    community = CommunityFactory()
    with clock.frozen(TODAY):
        yield community, UserFactory(role=Role.CITY_STAFF)


def row(community: Community, level: int, *, name: str = "钱晓雯", reason: str = ""):
    """Staff post, 6 full years of service to 1 January 2026, bachelor (3
    years), 社工师 (+2): 1 + ⌊(6 + 3) / 3⌋ + 2 = 6. One ID number a name."""
    born = date(1980, 1, 1) + timedelta(days=sum(map(ord, name)) % 3000)
    return [
        make_id_number(born),
        name, community.code, "staff", level, "2019-04-01", "学士", "2019-04-01",
        "社工师", "2021-10-16", reason,
    ]  # fmt: skip


def upload(rows):
    text = io.StringIO()
    text.write(",".join(HEADERS) + "\n")
    for values in rows:
        text.write(",".join(str(v) for v in values) + "\n")
    return SimpleUploadedFile("roster.csv", text.getvalue().encode("utf-8-sig"))


def run(rows, user, *, dry_run):
    resource = WorkerResource(user=user)
    report = import_dataset(
        resource, dataset_from_upload(upload(rows)), dry_run=dry_run
    )
    return report, resource


def test_the_rule_is_computed_on_joining_or_on_the_last_first_of_january():
    assert reference_day(date(2026, 2, 3), TODAY) == date(2026, 2, 3)
    assert reference_day(date(2019, 4, 1), TODAY) == date(2026, 1, 1)


def test_the_preview_warns_on_a_level_the_rule_would_not_give(city):
    community, staff = city

    report, _resource = run(
        [row(community, 6), row(community, 3, name="孙佳怡")], staff, dry_run=True
    )

    assert not report.has_errors  # a warning, not an error
    assert [r.number for r in report.warning_rows] == [2]
    (message,) = report.warning_rows[0].warnings
    assert "等级 3 级与定级规则计算的 6 级不同" in message
    assert "工龄 6 年 + 学历折算 3 年" in message
    assert "证书 2 级" in message
    assert "保存后记为人工调整" in message
    assert Worker.objects.count() == 0


def test_the_warning_is_in_english_for_an_english_user(city):
    community, staff = city

    with translation.override("en"):
        report, _resource = run([row(community, 3)], staff, dry_run=True)

    (message,) = report.rows[0].warnings
    assert "Level 3 differs from level 6 computed by the placement rule" in message
    assert "6 years of service" in message


def test_the_import_page_shows_the_warning_and_still_lets_the_file_in(city, client):
    community, staff = city
    client.force_login(staff)

    page = client.post(
        reverse("core:roster-import"), {"file": upload([row(community, 3)])}
    ).content.decode()

    assert 'id="warning-count"' in page
    assert "1 行需要注意" in page
    # A row of its own under the row, so a phone shows it without scrolling.
    assert 'data-warning-row="1"' in page
    assert "与定级规则计算的 6 级不同" in page
    assert 'id="confirm-import"' in page


def test_the_saved_history_keeps_an_override_with_its_reason(city):
    community, staff = city

    report, _resource = run(
        [
            row(community, 8, reason="原系统按县级标准定级"),
            row(community, 6, name="孙佳怡"),
        ],
        staff,
        dry_run=False,
    )

    assert report.saved
    flagged = LevelChange.objects.get(worker__full_name="钱晓雯")
    assert flagged.reason == LevelChange.Reason.OVERRIDE
    assert (flagged.new_level, flagged.computed_level) == (8, 6)
    assert flagged.params["override_level"] == "8"
    assert flagged.params["service_years"] == "6"
    assert "原系统按县级标准定级" in flagged.note
    agreed = LevelChange.objects.get(worker__full_name="孙佳怡")
    assert agreed.reason == LevelChange.Reason.IMPORT
    assert agreed.computed_level is None
    # A3's recompute keeps the override's difference to the formula.
    steps = level_history_by_worker([flagged.worker_id])[flagged.worker_id]
    assert override_difference(steps) == 2


def test_the_check_asks_no_query_per_row(city):
    community, staff = city
    agreeing = [row(community, 6, name=f"同意{i}") for i in range(4)]
    differing = [row(community, 3, name=f"不同{i}") for i in range(4)]

    with CaptureQueriesContext(connection) as agreed:
        run(agreeing, staff, dry_run=True)
    with CaptureQueriesContext(connection) as flagged:
        report, _resource = run(differing, staff, dry_run=True)

    assert len(report.warning_rows) == 4
    assert len(flagged) == len(agreed)
    with CaptureQueriesContext(connection) as made:
        checker = LevelChecker(today=TODAY)
    staff_post = Post.objects.get(code="staff")
    with CaptureQueriesContext(connection) as checks:
        for level in (3, 6):
            checker.check(
                post=staff_post,
                level=level,
                started_on=date(2019, 4, 1),
                joined_on=date(2019, 4, 1),
                education="bachelor",
                certificates=[("intermediate", date(2021, 10, 16))],
            )
    assert len(made) == 4  # the adopted versions and their placement tables
    assert len(checks) == 0


def test_the_worker_form_asks_a_reason_then_the_page_shows_the_difference(city, client):
    community, staff = city
    run([row(community, 6)], staff, dry_run=False)
    worker = Worker.objects.get()
    client.force_login(staff)
    data = {
        "full_name": worker.full_name,
        "id_number": worker.id_number,
        "community": community.pk,
        "post": worker.post.pk,
        "level": 9,
        "started_on": "2019-04-01",
        "education": worker.education,
        "joined_on": "2019-04-01",
        "bank_name": "",
        "phone": "",
    }
    url = reverse("core:worker-edit", args=[worker.pk])

    preview = client.post(url, {**data, "action": "preview"}).content.decode()
    refused = client.post(url, {**data, "action": "save"})
    saved = client.post(url, {**data, "action": "save", "level_reason": "表彰提级"})

    assert 'id="level-differs"' in preview
    assert refused.status_code == 200
    assert "请写明理由" in refused.content.decode()
    assert saved.status_code == 302
    change = LevelChange.objects.filter(worker=worker).latest("pk")
    assert change.reason == LevelChange.Reason.OVERRIDE
    assert (change.old_level, change.new_level, change.computed_level) == (6, 9, 6)
    assert "表彰提级" in change.note
    page = client.get(reverse("core:worker-detail", args=[worker.pk])).content.decode()
    section = page.split('id="level-differs"')[1].split("</p>")[0]
    assert "现等级 9 级与定级规则计算的 6 级不同" in section
    assert "表彰提级" in section
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("core:worker-detail", args=[worker.pk])).content.decode()
    section = page.split('id="level-differs"')[1].split("</p>")[0]
    assert "，" not in section, section
    assert ", 人员信息修改" in section, section


def test_a_change_of_post_is_named_as_the_reason_on_the_worker_page(city, client):
    """The A3 change of post keeps the level (raised to the new post's
    lowest), which the A2 formula for the new post need not give: the page
    names the change of post, not a missing reason."""
    from payroll.levels.services import worker_post_change

    community, staff = city
    run([row(community, 6)], staff, dry_run=False)
    worker = Worker.objects.get()
    worker_post_change(
        actor=staff,
        worker=worker,
        post=Post.objects.get(code="principal"),
        on=TODAY,
        note="任命",
    )
    client.force_login(staff)

    page = client.get(reverse("core:worker-detail", args=[worker.pk])).content.decode()

    section = page.split('id="level-differs"')[1].split("</p>")[0]
    assert "岗位变动" in section
    assert "未记录人工调整的理由" not in section


def test_a_kept_preview_keeps_the_warnings(city):
    """A roster checked once (a large file in the background) keeps each
    row's warnings with its report, so the page read later shows them."""
    from core import import_jobs

    community, staff = city
    uploaded = upload([row(community, 3)])
    dataset = dataset_from_upload(uploaded)
    uploaded.seek(0)
    job = import_jobs.import_job_create(kind="roster", user=staff, uploaded=uploaded)

    import_jobs.import_job_check(job, dataset)
    report = import_jobs.import_job_report(job)

    (message,) = report.rows[0].warnings
    assert "与定级规则计算的 6 级不同" in message


def test_a_1_january_check_counts_grades_as_progression_does(city):
    """Staff since 2016-03-01, bachelor (3): 9 full years to 1 January 2026.
    With 2024 graded 不合格 A3 counts 8: 1 + ⌊(8 + 3) / 3⌋ = 4, not 5; a level
    of 4 is what the rule gives and is not flagged."""
    from ratings.models import AnnualGrade

    community, _user = city
    staff_post = Post.objects.get(code="staff")
    worker = Worker.objects.create(
        full_name="周立新", id_number=make_id_number(date(1985, 5, 5)),
        birth_date=date(1985, 5, 5), gender="M",
        community=community, post=staff_post, level=4, education="bachelor",
        started_on=date(2016, 3, 1), joined_on=date(2016, 3, 1),
    )  # fmt: skip
    AnnualGrade.objects.create(worker=worker, year=2024, grade="fail")
    facts = {
        "post": staff_post, "level": 4, "started_on": worker.started_on,
        "joined_on": worker.joined_on, "education": "bachelor",
    }  # fmt: skip

    blind = LevelChecker().check(**facts, worker_id=worker.pk)
    assert blind.placement.level == 5
    assert blind.differs

    graded = LevelChecker(worker_ids=[worker.pk]).check(**facts, worker_id=worker.pk)
    assert graded.placement.level == 4
    assert graded.failed_years == 1
    assert not graded.differs
    assert "不合格 1 年" in graded.breakdown()
    assert graded.flag() is None

    raised = LevelChecker(worker_ids=[worker.pk]).check(
        **{**facts, "level": 5}, worker_id=worker.pk
    )
    assert raised.differs
    assert raised.flag().params["failed_years"] == "1"


def test_a_flagged_level_without_a_reason_says_the_reason_is_missing(city):
    """The worker form refuses such a level without a reason; the import keeps
    it (recorded as 未填写理由) but says so on the row, still as a warning."""
    community, staff = city

    report, _resource = run(
        [row(community, 3), row(community, 4, name="孙佳怡", reason="市级表彰")],
        staff,
        dry_run=True,
    )

    assert not report.has_errors
    missing, given = (r.warnings[0] for r in report.rows)
    assert "未填写“等级调整理由”" in missing
    assert "等级调整理由" not in given
    with translation.override("en"):
        report, _resource = run([row(community, 3)], staff, dry_run=True)
    assert 'The "level adjustment reason" column is empty' in report.rows[0].warnings[0]

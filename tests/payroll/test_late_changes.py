"""Late changes say what they do (DOMAIN A11): a saved fact that reaches
back into locked months names how many, and the worker page shows the facts
in force on any chosen day."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from core import clock
from core.late_changes import changed_dates_since, late_change_message
from core.models import Post, Role, Worker
from payroll.cycles.services import (
    payroll_cycle_approve,
    payroll_cycle_lock,
    payroll_cycle_start,
)
from ratings.facts import grade_pays_from, star_pays_from
from ratings.models import AnnualGrade
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(django_capture_on_commit_callbacks):
    """January and February 2026 paid and locked; today is 10 March."""
    call_command(
        "seed_demo", "--communities", "2", "--workers-per-community", "4", "--seed", "3"
    )
    maker = UserFactory(role=Role.FINANCE)
    checker = UserFactory(role=Role.FINANCE)
    for month in (1, 2):
        with clock.frozen(date(2026, month, 25)):
            with django_capture_on_commit_callbacks(execute=True):
                cycle = payroll_cycle_start(year=2026, month=month, actor=maker)
            cycle.refresh_from_db()
            payroll_cycle_approve(cycle=cycle, actor=checker)
            payroll_cycle_lock(cycle=cycle, actor=checker)
    with clock.frozen(date(2026, 3, 10)):
        yield Worker.objects.filter(post__code="staff", joined_on__lt=date(2026, 1, 1))[
            0
        ]


@pytest.mark.parametrize(
    ("rated_on", "expected"),
    [
        (date(2026, 11, 15), date(2026, 12, 1)),
        (date(2026, 12, 31), date(2027, 1, 1)),
        (date(2026, 3, 1), date(2026, 3, 1)),
    ],
)
def test_a_star_rating_pays_from_the_next_month(rated_on, expected):
    assert star_pays_from(rated_on) == expected


def test_a_grade_pays_from_the_next_year():
    assert grade_pays_from(2026) == date(2027, 1, 1)


def test_changed_dates_reach_from_the_earlier_date():
    worker = Worker(joined_on=date(2026, 2, 1), left_on=None)
    before = {"joined_on": date(2026, 1, 10), "left_on": None}
    assert changed_dates_since(before, worker) == date(2026, 1, 10)
    assert changed_dates_since({"joined_on": date(2026, 2, 1)}, worker) is None


def test_message_counts_the_locked_months_a_change_reaches(paid):
    message = late_change_message(worker_id=paid.pk, since=date(2026, 1, 15))
    assert "2 个已锁定" in message
    assert "2026-01 至 2026-02" in message
    feb = late_change_message(worker_id=paid.pk, since=date(2026, 2, 1))
    assert "1 个已锁定" in feb
    assert late_change_message(worker_id=paid.pk, since=date(2026, 3, 1)) is None


def test_post_change_into_a_locked_month_says_so(paid, client):
    staff = UserFactory(role=Role.CITY_STAFF)
    client.force_login(staff)
    deputy = Post.objects.get(code="deputy")

    response = client.post(
        reverse("payroll:worker-post-change", args=[paid.pk]),
        {"post": deputy.pk, "on": "2026-02-01", "note": "调整"},
    )

    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("1 个已锁定" in t and "下一工资周期" in t for t in texts), texts


def test_grade_saved_in_the_admin_names_the_months_of_the_next_year(paid, client):
    admin = UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)
    client.force_login(admin)
    AnnualGrade.objects.filter(worker=paid, year=2025).delete()

    response = client.post(
        reverse("admin:ratings_annualgrade_add"),
        {"worker": paid.pk, "year": 2025, "grade": "fail", "note": ""},
        follow=True,
    )
    assert AnnualGrade.objects.get(worker=paid, year=2025).grade == "fail"

    texts = [str(m) for m in response.context["messages"]]
    assert any("2 个已锁定" in t for t in texts), texts


def test_worker_page_shows_the_facts_on_a_chosen_day(paid, client):
    staff = UserFactory(role=Role.CITY_STAFF)
    client.force_login(staff)
    deputy = Post.objects.get(code="deputy")
    client.post(
        reverse("payroll:worker-post-change", args=[paid.pk]),
        {"post": deputy.pk, "on": "2026-02-01", "note": "调整"},
    )
    url = reverse("core:worker-detail", args=[paid.pk])

    before = client.get(url, {"facts_on": "2026-01-15"}).content.decode()
    after = client.get(url, {"facts_on": "2026-02-15"}).content.decode()

    facts_before = before.split('data-facts-on="2026-01-15"')[1].split("</dl>")[0]
    facts_after = after.split('data-facts-on="2026-02-15"')[1].split("</dl>")[0]
    assert "其他工作人员" in facts_before
    assert "社区副职" in facts_after
    assert "2026-02-01 起" in facts_after
    assert "缴费基数" in facts_after


def test_worker_page_shows_the_grade_and_stars_in_force(paid, client):
    from ratings.models import StarRating

    StarRating.objects.filter(worker=paid).delete()
    AnnualGrade.objects.filter(worker=paid).delete()
    StarRating.objects.create(
        worker=paid,
        rated_on=date(2026, 1, 15),
        stars=4,
        valid_until=date(2028, 1, 14),
    )
    AnnualGrade.objects.create(worker=paid, year=2025, grade="fail")
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    url = reverse("core:worker-detail", args=[paid.pk])

    def facts(day):
        page = client.get(url, {"facts_on": day}).content.decode()
        return page.split(f'data-facts-on="{day}"')[1].split("</dl>")[0]

    january, february = facts("2026-01-20"), facts("2026-02-15")
    assert "无有效星级" in january  # a rating pays from the next month
    assert "4 星" in february
    assert "2026-02-01 起" in february
    assert "2025 年度 不合格" in january
    assert "尚无考核" in facts("2025-06-01")


def test_a_post_change_dated_back_before_a_later_step_shows_the_new_post(
    paid, client, django_capture_on_commit_callbacks
):
    """A change of post dated into a locked month, recorded after a later
    step (here an override of today): the worker's page, her facts today
    and the next cycle show the new post; the locked payslip keeps the old
    one and the next cycle pays the difference for the locked month."""
    from payroll.levels.services import level_override
    from payroll.models import LevelChange, Payslip

    staff = UserFactory(role=Role.CITY_STAFF)
    level_override(
        actor=staff,
        worker=paid,
        level=paid.level + 1,
        on=date(2026, 3, 10),
        reason="表彰",
    )
    february = Payslip.objects.get(worker=paid, year=2026, month=2)
    february_lines = february.lines
    client.force_login(staff)
    deputy = Post.objects.get(code="deputy")

    client.post(
        reverse("payroll:worker-post-change", args=[paid.pk]),
        {"post": deputy.pk, "on": "2026-02-01", "note": "补录岗位调整"},
    )

    paid.refresh_from_db()
    assert paid.post == deputy
    assert paid.level >= deputy.lowest_level
    page = client.get(reverse("core:worker-detail", args=[paid.pk])).content.decode()
    facts = page.split('data-facts-on="2026-03-10"')[1].split("</dl>")[0]
    assert "社区副职" in facts
    assert "其他工作人员" not in facts
    assert "2026-02-01 起" in facts
    # The override recorded before keeps its own post in the history...
    override = LevelChange.objects.get(worker=paid, reason="override")
    assert override.post.code == "staff"
    # ...the locked payslip is untouched, and March pays deputy's allowance
    # with the February correction.
    february.refresh_from_db()
    assert february.lines == february_lines
    maker = UserFactory(role=Role.FINANCE)
    with django_capture_on_commit_callbacks(execute=True):
        march = payroll_cycle_start(year=2026, month=3, actor=maker)
    slip = Payslip.objects.get(cycle=march, worker=paid)
    codes = {line.code: line for line in slip.pay_lines()}
    assert codes["post_allowance"].amount > 0
    adjustments = [line for line in slip.pay_lines() if line.code == "adjustment"]
    back_pay = {
        line.params["item"]: line.amount
        for line in adjustments
        if line.params["period"] == "2026-02"
    }
    assert back_pay.get("post_allowance", 0) > 0, [a.params for a in adjustments]
    # The printed February payslip names the post it was paid at, March's
    # the new one.
    from payroll.cycles.pdf import payslip_view

    names = {p.code: p.label for p in Post.objects.all()}
    assert payslip_view(february, names, with_employer=False)["post_name"] == (
        "其他工作人员"
    )
    assert payslip_view(slip, names, with_employer=False)["post_name"] == "社区副职"


# --- imports say it too (DOMAIN A11) -------------------------------------------


def _csv(header, *rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    lines = [",".join(header), *(",".join(str(c) for c in row) for row in rows)]
    return SimpleUploadedFile("rows.csv", ("\n".join(lines) + "\n").encode())


def _preview_then_confirm(client, url, upload):
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200
    assert not preview.context["report"].has_errors, preview.context["report"].rows
    token = preview.context["token"]
    done = client.post(url, {"action": "confirm", "token": token}, follow=True)
    texts = [str(m) for m in done.context["messages"]]
    return preview, texts


def test_grade_import_names_the_locked_months_per_row_and_in_summary(paid, client):
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    AnnualGrade.objects.filter(worker=paid, year=2025).delete()
    preview, texts = _preview_then_confirm(
        client,
        reverse("ratings:grade-import"),
        _csv(["身份证号", "考核年度", "考核结果"], [paid.id_number, 2025, "不合格"]),
    )
    late = preview.context["late_changes"]
    assert late.summary.startswith("1 名人员的变更涉及已锁定")
    assert "共 2 个人员月份，2026-01 至 2026-02" in late.summary
    assert "下一工资周期" in late.summary
    assert late.rows == [
        f"第 1 行：{paid.full_name}，涉及 2 个已锁定月份（2026-01 至 2026-02）"
    ]
    assert 'id="late-changes"' in preview.content.decode()
    assert any(t == late.summary for t in texts), texts


def test_an_import_reaching_no_locked_month_says_nothing(paid, client):
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    preview, texts = _preview_then_confirm(
        client,
        reverse("ratings:grade-import"),
        _csv(["身份证号", "考核年度", "考核结果"], [paid.id_number, 2026, "优秀"]),
    )
    assert preview.context["late_changes"] is None
    assert not any("已锁定" in t for t in texts), texts


def test_star_rating_import_reaches_from_the_month_after_its_date(paid, client):
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    preview, texts = _preview_then_confirm(
        client,
        reverse("ratings:star-import"),
        _csv(
            ["身份证号", "社区代码", "评定日期", "星级"],
            [paid.id_number, "", "2026-01-10", 4],
        ),
    )
    late = preview.context["late_changes"]
    assert "共 1 个人员月份，2026-02 至 2026-02" in late.summary
    assert any("1 名人员的变更涉及已锁定" in t for t in texts), texts


def test_roster_import_of_an_earlier_leaving_date_says_so(paid, client):
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    row = [
        paid.id_number,
        paid.full_name,
        paid.community.code,
        paid.post.code,
        paid.level,
        paid.joined_on.isoformat(),
        "2026-02-10",
    ]
    header = [
        "身份证号",
        "姓名",
        "社区代码",
        "岗位代码",
        "等级",
        "入职日期",
        "离职日期",
    ]
    preview, texts = _preview_then_confirm(
        client, reverse("core:roster-import"), _csv(header, row)
    )
    late = preview.context["late_changes"]
    assert "共 1 个人员月份，2026-02 至 2026-02" in late.summary, late.summary
    assert late.rows[0].startswith("第 1 行：")
    assert any("将在下一工资周期" in t or "下一工资周期" in t for t in texts), texts


def test_level_and_base_imports_say_so(paid, client):
    from payroll.models import ContributionBase

    client.force_login(UserFactory(role=Role.CITY_STAFF))
    preview, _texts = _preview_then_confirm(
        client,
        reverse("payroll:level-import"),
        _csv(
            ["身份证号", "生效日期", "等级", "岗位代码"],
            [paid.id_number, "2026-02-01", paid.level + 1, paid.post.code],
        ),
    )
    assert (
        "共 1 个人员月份，2026-02 至 2026-02" in preview.context["late_changes"].summary
    )

    assert not ContributionBase.objects.filter(worker=paid).exists()
    finance = UserFactory(role=Role.FINANCE)
    client.force_login(finance)
    preview = client.post(
        reverse("payroll:payroll-data-import", args=["bases"]),
        {
            "file": _csv(
                [
                    "身份证号",
                    "起始日期",
                    "截止日期",
                    "社保缴费基数",
                    "公积金缴存基数",
                    "来源",
                ],
                [
                    paid.id_number,
                    "2026-01-01",
                    "2026-06-30",
                    8000,
                    8000,
                    "导入",
                ],
            )
        },
    )
    assert not preview.context["report"].has_errors, preview.context["report"].rows
    late = preview.context["late_changes"]
    assert "共 2 个人员月份，2026-01 至 2026-02" in late.summary


def test_the_import_note_reads_in_english(paid):
    from django.utils import translation

    from core.late_changes import LateChanges

    changes = LateChanges()
    changes.add(row=3, worker_id=paid.pk, since=date(2026, 1, 1))
    with translation.override("en"):
        notes = changes.notes()
    assert notes.summary.startswith("The changes of 1 worker"), notes.summary
    assert "next payroll cycle" in notes.summary
    assert notes.rows[0].startswith("Row 3:"), notes.rows


def test_locked_months_of_many_workers_are_read_500_at_a_time(paid):
    """An import near the 50,000-row limit stays under SQLite's parameter
    limit: the payslips are read per 500 workers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from payroll.facts import locked_months_many

    changes = {paid.pk: date(2026, 1, 1)}
    changes |= {10_000_000 + i: date(2026, 2, 1) for i in range(1200)}
    with CaptureQueriesContext(connection) as captured:
        reached = locked_months_many(changes)

    assert reached == {paid.pk: [(2026, 1), (2026, 2)]}
    payslip_queries = [q for q in captured if "payroll_payslip" in q["sql"]]
    assert len(payslip_queries) == 3


def test_a_kept_roster_preview_keeps_its_late_notes(paid):
    """The notes are worked out once when the file is checked and kept with
    the report: the pages and the confirm read them in the reader's language
    without asking for the locked months again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from core import import_jobs
    from core.imports import dataset_from_upload

    staff = UserFactory(role=Role.CITY_STAFF)
    header = [
        "身份证号",
        "姓名",
        "社区代码",
        "岗位代码",
        "等级",
        "入职日期",
        "离职日期",
    ]
    row = [
        paid.id_number, paid.full_name, paid.community.code, paid.post.code,
        paid.level, paid.joined_on.isoformat(), "2026-02-10",
    ]  # fmt: skip
    upload = _csv(header, row)
    dataset = dataset_from_upload(upload)
    job = import_jobs.import_job_create(kind="roster", user=staff, uploaded=upload)
    import_jobs.import_job_check(job, dataset)

    with CaptureQueriesContext(connection) as captured:
        notes = import_jobs.import_job_late_notes(job)
        with translation.override("en"):
            english = import_jobs.import_job_late_notes(job)
    assert not any("payroll_payslip" in q["sql"] for q in captured)
    assert "共 1 个人员月份，2026-02 至 2026-02" in notes.summary
    assert notes.rows[0].startswith("第 1 行：")
    assert english.summary.startswith("The changes of 1 worker"), english.summary
    assert english.rows[0].startswith("Row 1:"), english.rows

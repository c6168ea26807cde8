"""Scale versions, placement, change of post and progression (database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from payroll.levels.services import (
    OVERRIDE_NEEDS_REASON,
    placement_record,
    progression_plan,
    progression_run,
    worker_post_change,
)
from payroll.models import (
    SCALE_VERSION_USED,
    LevelChange,
    ParameterCode,
    ScaleLevelPay,
    ScaleVersion,
)
from payroll.scales.selectors import ScaleMissingError, scale_for
from payroll.scales.services import (
    scale_row_save,
    scale_version_adopt,
    scale_version_copy,
    scale_version_index,
    scale_version_mark_used,
    scale_version_save,
)
from tests.factories import UserFactory, WorkerCertificateFactory, WorkerFactory
from tests.payroll.factories import (
    AnnualGradeFactory,
    LevelChangeFactory,
    posts,
    scale_version,
)

pytestmark = pytest.mark.django_db
D = Decimal


# --- the shipped scheme --------------------------------------------------------


def test_reference_scheme_loads_complete():
    version = scale_version()
    scale = scale_for(version)
    assert scale.standard_pay[1] == D("4800.00")
    assert scale.standard_pay[18] == D("8200.00")
    assert scale.post_allowance == {
        "principal": D("600.00"),
        "deputy": D("300.00"),
        "staff": D("0.00"),
    }
    assert scale.grade_coefficients["excellent"] == D("1.2000")
    assert scale.star_allowances[5] == D("600.00")
    assert scale.minimum_wage == D("2490.00")
    assert scale.city_average_wage == D("132000.00")
    assert scale.growth_rate == D("0.0400")
    assert scale.education_years["master"] == 5
    assert scale.certificate_levels["senior"] == 3
    assert (scale.years_per_level, scale.max_early_promotions) == (3, 2)
    assert all(row.source_note for row in version.parameters.all())


# --- a used version is frozen ----------------------------------------------------


def test_used_version_refuses_service_edits():
    version = scale_version()
    scale_version_mark_used(version)
    row = version.level_pays.get(level=1)
    row.standard_pay = D("1.00")
    with pytest.raises(ValidationError) as excinfo:
        scale_row_save(row=row)
    assert str(SCALE_VERSION_USED) in excinfo.value.messages
    version.name = "changed"
    with pytest.raises(ValidationError):
        scale_version_save(version=version)
    with pytest.raises(ValidationError):
        scale_version_adopt(version=version)
    assert ScaleLevelPay.objects.get(pk=row.pk).standard_pay == D("4800.00")


def test_used_version_refuses_model_saves_and_deletes():
    version = scale_version()
    scale_version_mark_used(version)
    row = version.level_pays.get(level=1)
    with pytest.raises(ValidationError):
        row.save()
    with pytest.raises(ValidationError):
        row.delete()
    with pytest.raises(ValidationError):
        ScaleLevelPay(version=version, level=19, standard_pay=D(1)).save()
    with pytest.raises(ValidationError):
        ScaleVersion.objects.get(pk=version.pk).save()
    with pytest.raises(ValidationError):
        ScaleVersion.objects.get(pk=version.pk).delete()


def test_mark_used_is_idempotent_and_keeps_first_time():
    version = scale_version()
    first = scale_version_mark_used(version).used_at
    again = scale_version_mark_used(version).used_at
    assert first is not None
    assert again == first


def test_unused_version_can_be_edited():
    version = scale_version()
    row = version.level_pays.get(level=1)
    row.standard_pay = D("4900.00")
    scale_row_save(row=row)
    assert scale_for(version).standard_pay[1] == D("4900.00")


def test_admin_shows_used_version_read_only(client):
    version = scale_version()
    scale_version_mark_used(version)
    client.force_login(UserFactory(role="city_staff", is_staff=True))
    url = f"/admin/payroll/scaleversion/{version.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    response = client.post(url, {"name": "changed"})
    assert response.status_code == 403
    assert ScaleVersion.objects.get(pk=version.pk).name != "changed"


def test_admin_edits_unused_version(client):
    version = scale_version(status="draft")
    client.force_login(UserFactory(role="city_staff", is_staff=True))
    page = client.get(f"/admin/payroll/scaleversion/{version.pk}/change/")
    assert b'name="_save"' in page.content


def test_copy_of_used_version_is_an_editable_draft():
    version = scale_version()
    scale_version_mark_used(version)
    copy = scale_version_copy(
        version=version, code="2021", effective_on=date(2021, 1, 1)
    )
    assert copy.status == ScaleVersion.Status.DRAFT
    assert not copy.is_used
    assert copy.based_on == version
    assert scale_for(copy).standard_pay == scale_for(version).standard_pay
    row = copy.level_pays.get(level=1)
    row.standard_pay = D("5000.00")
    scale_row_save(row=row)


def test_adopt_refuses_incomplete_version():
    version = scale_version(status="draft")
    version.parameters.get(code=ParameterCode.MINIMUM_WAGE).delete()
    with pytest.raises(ScaleMissingError):
        scale_version_adopt(version=version)


def test_effective_date_must_be_first_of_month():
    version = scale_version(status="draft")
    version.effective_on = date(2020, 1, 15)
    with pytest.raises(ValidationError):
        scale_version_save(version=version)


# --- A6 indexation ---------------------------------------------------------------


def test_index_makes_next_years_draft():
    version = scale_version()
    new = scale_version_index(
        version=version, code="2021", effective_on=date(2021, 1, 1)
    )
    old_scale, new_scale = scale_for(version), scale_for(new)
    assert new_scale.standard_pay[1] == D("4992.00")  # 4,800 × 1.04
    assert new_scale.standard_pay[18] == D("8528.00")  # 8,200 × 1.04
    assert new_scale.post_allowance["principal"] == D("624.00")
    assert new_scale.post_allowance["deputy"] == D("312.00")
    assert new_scale.one_shoulder_supplement == old_scale.one_shoulder_supplement
    assert new_scale.star_allowances == old_scale.star_allowances
    assert new.status == ScaleVersion.Status.DRAFT
    assert "4%" in new.source_note


def test_index_refuses_negative_growth():
    version = scale_version()
    with pytest.raises(ValidationError):
        scale_version_index(
            version=version,
            code="2021",
            effective_on=date(2021, 1, 1),
            growth_rate=D("-0.01"),
        )


# --- A2 placement ------------------------------------------------------------


def test_placement_keeps_breakdown_and_syncs_worker():
    scale_version()
    worker = WorkerFactory(
        started_on=date(2017, 3, 1), joined_on=date(2017, 3, 1), education="bachelor"
    )
    WorkerCertificateFactory(worker=worker, kind="assistant")
    WorkerCertificateFactory(worker=worker, kind="intermediate")
    change = placement_record(actor=None, worker=worker, on=date(2024, 3, 1))
    assert change.new_level == change.computed_level == 6
    assert change.reason == LevelChange.Reason.PLACEMENT
    assert change.params["service_years"] == "7"
    assert change.params["education_years"] == "3"
    assert change.params["certificate"] == "intermediate"
    assert change.params["certificate_levels"] == "2"
    worker.refresh_from_db()
    assert worker.level == 6


def test_placement_override_needs_a_reason_and_keeps_both_levels():
    scale_version()
    worker = WorkerFactory()
    with pytest.raises(ValidationError) as excinfo:
        placement_record(
            actor=None, worker=worker, on=date(2024, 3, 1), override_level=9
        )
    assert OVERRIDE_NEEDS_REASON in excinfo.value.messages
    change = placement_record(
        actor=None,
        worker=worker,
        on=date(2024, 3, 1),
        override_level=9,
        override_reason="区委组织部批复",
    )
    assert (change.computed_level, change.new_level) == (5, 9)  # 1 + (9 + 3) // 3
    assert change.note == "区委组织部批复"
    assert change.params["override_level"] == "9"


def test_placement_override_stays_in_post_range():
    scale_version()
    worker = WorkerFactory()
    with pytest.raises(ValidationError):
        placement_record(
            actor=None,
            worker=worker,
            on=date(2024, 3, 1),
            override_level=13,
            override_reason="x",
        )


def test_placement_by_actor_outside_scope_is_refused():
    scale_version()
    worker = WorkerFactory()
    other = UserFactory(
        role="district_staff", district=WorkerFactory().community.street.district
    )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        placement_record(actor=other, worker=worker, on=date(2024, 3, 1))
    assert not LevelChange.objects.exists()


@pytest.mark.parametrize(
    ("level", "new_post", "expected"),
    [(2, "deputy", 4), (12, "deputy", 12), (15, "principal", 15), (5, "principal", 7)],
)
def test_change_of_post_clamps(level, new_post, expected):
    scale_version()
    all_posts = posts()
    worker = WorkerFactory(post=all_posts["staff"], level=min(level, 12))
    if level > 12:
        worker.post, worker.level = all_posts["deputy"], level
        worker.save()
    change = worker_post_change(
        actor=None, worker=worker, post=all_posts[new_post], on=date(2025, 1, 1)
    )
    worker.refresh_from_db()
    assert change.new_level == worker.level == expected
    assert worker.post.code == new_post
    assert change.reason == LevelChange.Reason.CHANGE_OF_POST


def test_change_of_post_down_cuts_to_highest():
    scale_version()
    all_posts = posts()
    worker = WorkerFactory(post=all_posts["principal"], level=16)
    worker_post_change(
        actor=None, worker=worker, post=all_posts["deputy"], on=date(2025, 1, 1)
    )
    worker.refresh_from_db()
    assert worker.level == 15


# --- A3 progression --------------------------------------------------------------


def _placed_worker(**kwargs):
    worker = WorkerFactory(
        started_on=date(2014, 1, 1), joined_on=date(2014, 1, 1), level=5, **kwargs
    )
    LevelChangeFactory(worker=worker, effective_on=date(2023, 1, 1), new_level=5)
    return worker


def test_progression_run_moves_and_is_idempotent():
    scale_version()
    worker = _placed_worker()
    first = progression_run(year=2026)
    second = progression_run(year=2026)
    worker.refresh_from_db()
    assert [c.worker_id for c in first] == [worker.pk]
    assert second == []
    assert worker.level == 6
    change = LevelChange.objects.get(reason=LevelChange.Reason.PROGRESSION)
    assert change.effective_on == date(2026, 1, 1)
    assert change.params["countable_years"] == "3"


def test_progression_failed_year_does_not_count():
    scale_version()
    worker = _placed_worker()
    AnnualGradeFactory(worker=worker, year=2024, grade="fail")
    assert progression_run(year=2026) == []
    worker.refresh_from_db()
    assert worker.level == 5


def test_progression_next_step_counts_from_last_step():
    scale_version()
    worker = _placed_worker()
    progression_run(year=2026)
    plan = progression_plan(year=2027)
    decision = next(d for w, d, _n in plan if w.pk == worker.pk)
    assert decision.countable_years == 1
    assert not decision.moves


def test_progression_early_promotion_at_most_twice():
    scale_version()
    worker = _placed_worker()
    for year in (2023, 2024, 2025):
        AnnualGradeFactory(worker=worker, year=year, grade="excellent")
    LevelChangeFactory(
        worker=worker,
        effective_on=date(2020, 1, 1),
        reason=LevelChange.Reason.EARLY_PROMOTION,
        params={"early_step": "1"},
    )
    LevelChangeFactory(
        worker=worker,
        effective_on=date(2021, 1, 1),
        reason=LevelChange.Reason.EARLY_PROMOTION,
        params={"early_step": "1"},
    )
    progression_run(year=2026)
    worker.refresh_from_db()
    assert worker.level == 6  # the regular step only


def test_progression_skips_workers_without_placement():
    scale_version()
    WorkerFactory()
    plan = progression_plan(year=2026)
    assert plan[0][1] is None


def test_progress_levels_dry_run_lists_moves_and_changes_nothing(capsys):
    scale_version()
    worker = _placed_worker()
    call_command("progress_levels", "2026", "--dry-run")
    out = capsys.readouterr().out
    assert f"{worker.pk}\t{worker.full_name}\t5 → 6" in out
    assert "3 countable years" in out
    assert not LevelChange.objects.filter(reason="progression").exists()


def test_progress_levels_command_runs(capsys):
    scale_version()
    _placed_worker()
    call_command("progress_levels", "2026")
    call_command("progress_levels", "2026")
    out = capsys.readouterr().out
    assert "1 workers moved" in out
    assert "0 workers moved" in out


def test_progression_task_is_scheduled_yearly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["payroll-progression-yearly"]
    assert entry["task"] == "payroll.tasks.progression_run_task"
    schedule = entry["schedule"]
    assert schedule.day_of_month == {1}
    assert schedule.month_of_year == {1}


def test_progression_task_runs():
    from payroll.tasks import progression_run_task

    scale_version()
    _placed_worker()
    assert progression_run_task.delay(2026).get() == 1


def _admin_post_data(response) -> dict:
    """The change form's current values, as the browser would post them."""
    data: dict = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for sub in formset.forms:
            for name, field in sub.fields.items():
                value = sub.initial.get(name, field.initial)
                if hasattr(value, "pk"):
                    value = value.pk
                data[sub.add_prefix(name)] = "" if value is None else value
    return data


def test_admin_saves_inline_rows_through_services(client):
    version = scale_version(status="draft")
    client.force_login(UserFactory(role="city_staff", is_staff=True))
    url = f"/admin/payroll/scaleversion/{version.pk}/change/"
    data = _admin_post_data(client.get(url))
    data["effective_on"] = "2020-01-01"
    data["level_pays-0-standard_pay"] = "4850.00"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert version.level_pays.get(level=1).standard_pay == D("4850.00")


@pytest.mark.django_db
def test_roster_import_and_admin_edits_keep_the_level_history():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.imports import dataset_from_upload, import_dataset
    from core.models import Role
    from core.resources import WorkerResource
    from core.services import worker_save
    from payroll.models import LevelChange
    from tests.factories import (
        CommunityFactory,
        PostFactory,
        UserFactory,
        make_id_number,
    )

    PostFactory(code="staff")
    community = CommunityFactory()
    staff = UserFactory(role=Role.CITY_STAFF)
    number = make_id_number()
    text = (
        "身份证号,姓名,社区代码,岗位代码,等级,参加社区工作日期,入职日期\n"
        f"{number},钱晓雯,{community.code},staff,3,2019-04-01,2019-04-01\n"
    )
    report = import_dataset(
        WorkerResource(user=staff),
        dataset_from_upload(SimpleUploadedFile("r.csv", text.encode())),
        dry_run=False,
    )
    assert report.saved
    worker = community.workers.get()
    first = LevelChange.objects.get(worker=worker)
    assert (first.reason, first.old_level, first.new_level) == ("import", None, 3)
    assert str(first.effective_on) == "2019-04-01"

    worker.level = 4
    worker_save(actor=staff, worker=worker)

    second = LevelChange.objects.filter(worker=worker).order_by("pk").last()
    assert (second.reason, second.old_level, second.new_level) == ("override", 3, 4)
    assert second.actor == staff

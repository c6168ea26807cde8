"""Grades and star ratings: services, scope, and all-or-nothing imports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import tablib
from django.core.exceptions import PermissionDenied, ValidationError

from core.imports import import_dataset
from ratings.models import AnnualGrade, StarRating
from ratings.resources import AnnualGradeResource, StarRatingResource
from ratings.selectors import grades_by_worker, stars_by_worker
from ratings.services import annual_grade_record, star_rating_record
from tests.factories import CommunityFactory, UserFactory, WorkerFactory
from tests.ratings.factories import AnnualGradeFactory, StarRatingFactory

pytestmark = pytest.mark.django_db


def test_grade_record_creates_then_corrects():
    worker = WorkerFactory()
    first = annual_grade_record(actor=None, worker=worker, year=2025, grade="pass")
    again = annual_grade_record(actor=None, worker=worker, year=2025, grade="fail")
    assert first.pk == again.pk
    assert AnnualGrade.objects.get().grade == "fail"


def test_district_staff_grades_only_within_district():
    worker = WorkerFactory()
    outsider = WorkerFactory()
    user = UserFactory(role="district_staff", district=worker.community.street.district)
    annual_grade_record(actor=user, worker=worker, year=2025, grade="excellent")
    with pytest.raises(PermissionDenied):
        annual_grade_record(actor=user, worker=outsider, year=2025, grade="pass")


def test_secretary_may_not_enter_grades():
    worker = WorkerFactory()
    user = UserFactory(role="secretary", community=worker.community)
    with pytest.raises(PermissionDenied):
        annual_grade_record(actor=user, worker=worker, year=2025, grade="pass")


def test_star_rating_defaults_to_two_years():
    worker = WorkerFactory()
    rating = star_rating_record(
        actor=None, worker=worker, rated_on=date(2025, 3, 15), stars=4
    )
    assert rating.valid_until == date(2027, 3, 14)


def test_star_rating_needs_exactly_one_subject():
    with pytest.raises(ValidationError):
        star_rating_record(actor=None, rated_on=date(2025, 3, 15), stars=4)
    with pytest.raises(ValidationError):
        star_rating_record(
            actor=None,
            worker=WorkerFactory(),
            community=CommunityFactory(),
            rated_on=date(2025, 3, 15),
            stars=4,
        )


def test_star_rating_for_community():
    community = CommunityFactory()
    rating = star_rating_record(
        actor=None,
        community=community,
        rated_on=date(2025, 1, 1),
        stars=5,
        score=Decimal("96.50"),
    )
    assert rating.community == community


@pytest.mark.parametrize("stars", [0, 6])
def test_star_rating_refuses_out_of_range(stars):
    with pytest.raises(ValidationError):
        star_rating_record(
            actor=None, worker=WorkerFactory(), rated_on=date(2025, 1, 1), stars=stars
        )


def test_batch_selectors_one_query_each(django_assert_num_queries):
    workers = [WorkerFactory() for _ in range(3)]
    for worker in workers:
        AnnualGradeFactory(worker=worker)
        StarRatingFactory(worker=worker)
    ids = [w.pk for w in workers]
    with django_assert_num_queries(2):
        grades = grades_by_worker(ids)
        stars = stars_by_worker(ids)
    assert set(grades) == set(ids) == set(stars)


# --- imports -----------------------------------------------------------------


def grade_dataset(*rows):
    return tablib.Dataset(
        *rows, headers=["身份证号", "姓名", "考核年度", "考核结果", "备注"]
    )


def test_grade_import_saves_all_rows():
    a, b = WorkerFactory(), WorkerFactory()
    dataset = grade_dataset(
        [a.id_number, a.full_name, 2025, "优秀", ""],
        [b.id_number, b.full_name, 2025, "基本合格", "迟到"],
    )
    report = import_dataset(AnnualGradeResource(), dataset, dry_run=False)
    assert report.saved
    assert dict(AnnualGrade.objects.values_list("worker_id", "grade")) == {
        a.pk: "excellent",
        b.pk: "basic_pass",
    }


def test_grade_import_with_one_bad_row_saves_nothing_and_names_it():
    a, b = WorkerFactory(), WorkerFactory()
    dataset = grade_dataset(
        [a.id_number, a.full_name, 2025, "优秀", ""],
        [b.id_number, b.full_name, 2025, "很好", ""],
        [a.id_number, a.full_name, 2024, "合格", ""],
    )
    report = import_dataset(AnnualGradeResource(), dataset, dry_run=False)
    assert not report.saved
    assert [r.number for r in report.error_rows] == [2]
    assert any("很好" in e and "不是有效选项" in e for e in report.error_rows[0].errors)
    assert not AnnualGrade.objects.exists()


def test_grade_import_refuses_workers_outside_scope():
    inside, outside = WorkerFactory(), WorkerFactory()
    user = UserFactory(role="district_staff", district=inside.community.street.district)
    dataset = grade_dataset(
        [inside.id_number, "", 2025, "合格", ""],
        [outside.id_number, "", 2025, "合格", ""],
    )
    report = import_dataset(AnnualGradeResource(user=user), dataset, dry_run=False)
    assert not report.saved
    assert [r.number for r in report.error_rows] == [2]
    assert "不在您的范围内" in " ".join(report.error_rows[0].errors)
    assert not AnnualGrade.objects.exists()


def test_grade_export_import_round_trip():
    grade = AnnualGradeFactory(grade="basic_pass")
    # Exports mask ID numbers unless the user may see them; city staff may.
    dataset = AnnualGradeResource(user=UserFactory()).export()
    assert dataset.dict[0]["考核结果"] == "基本合格"
    report = import_dataset(AnnualGradeResource(), dataset, dry_run=False)
    assert report.saved
    assert report.counts["skip"] == 1
    grade.refresh_from_db()
    assert grade.grade == "basic_pass"


def star_dataset(*rows):
    return tablib.Dataset(
        *rows,
        headers=[
            "身份证号",
            "社区代码",
            "评定日期",
            "星级",
            "得分",
            "评定单位",
            "有效期至",
            "依据材料",
        ],
    )


def test_star_import_defaults_validity_and_takes_communities():
    worker = WorkerFactory()
    community = CommunityFactory()
    dataset = star_dataset(
        [worker.id_number, "", "2025-03-15", 4, "88.5", "区委组织部", "", ""],
        ["", community.code, "2025/1/1", 5, "", "市委组织部", "", "材料"],
    )
    report = import_dataset(StarRatingResource(), dataset, dry_run=False)
    assert report.saved, report.rows
    rating = StarRating.objects.get(worker=worker)
    assert rating.valid_until == date(2027, 3, 14)
    assert rating.score == Decimal("88.50")
    assert StarRating.objects.get(community=community).stars == 5


def test_star_import_with_one_bad_row_saves_nothing_and_names_it():
    worker = WorkerFactory()
    dataset = star_dataset(
        [worker.id_number, "", "2025-03-15", 4, "", "", "", ""],
        [worker.id_number, "", "2025-04-15", 7, "", "", "", ""],
        [worker.id_number, "", "2025-13-01", 3, "", "", "", ""],
    )
    report = import_dataset(StarRatingResource(), dataset, dry_run=False)
    assert not report.saved
    assert [r.number for r in report.error_rows] == [2, 3]
    assert not StarRating.objects.exists()


def test_star_import_needs_exactly_one_subject():
    worker = WorkerFactory()
    dataset = star_dataset(
        [worker.id_number, worker.community.code, "2025-03-15", 4, "", "", "", ""],
    )
    report = import_dataset(StarRatingResource(), dataset, dry_run=False)
    assert not report.saved
    assert "须且只能填写一个" in " ".join(report.error_rows[0].errors)

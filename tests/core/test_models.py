from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Worker
from tests.factories import CommunityFactory, PostFactory, make_id_number

pytestmark = pytest.mark.django_db


def build(**overrides):
    values = {
        "full_name": "王芳",
        "id_number": make_id_number(date(1990, 5, 17), male=False),
        "community": CommunityFactory(),
        "post": PostFactory(code="deputy"),
        "level": 4,
        "started_on": date(2015, 3, 1),
        "joined_on": date(2015, 3, 1),
    }
    values.update(overrides)
    return Worker(**values)


def test_worker_derives_birth_date_and_gender_from_the_id():
    worker = build()

    worker.full_clean()

    assert worker.birth_date == date(1990, 5, 17)
    assert worker.gender == "F"


def test_worker_refuses_a_gender_that_contradicts_the_id():
    with pytest.raises(ValidationError) as excinfo:
        build(gender="M").full_clean()

    assert excinfo.value.message_dict["gender"] == ["性别与身份证号不一致。"]


def test_worker_refuses_a_birth_date_that_contradicts_the_id():
    with pytest.raises(ValidationError) as excinfo:
        build(birth_date=date(1991, 5, 17)).full_clean()

    assert "birth_date" in excinfo.value.message_dict


@pytest.mark.parametrize("level", [3, 16])
def test_worker_level_must_lie_in_the_posts_range(level):
    with pytest.raises(ValidationError) as excinfo:
        build(level=level).full_clean()

    assert excinfo.value.message_dict["level"] == [
        f"等级 {level} 超出岗位“社区副职”的范围 4–15。"
    ]


def test_worker_dates_cannot_be_in_the_future_or_out_of_order():
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(ValidationError) as excinfo:
        build(joined_on=tomorrow, left_on=date(2014, 1, 1)).full_clean()

    errors = excinfo.value.message_dict
    assert errors["joined_on"] == ["日期不能晚于今天。"]
    assert "left_on" in errors

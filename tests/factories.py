"""factory_boy factories for core. Apps put theirs in tests/<app>/factories.py."""

from __future__ import annotations

import itertools
from datetime import date

import factory

from core.models import (
    City,
    Community,
    District,
    Post,
    Role,
    Street,
    User,
    Worker,
    WorkerCertificate,
    WorkerPosition,
)
from core.roles import ADMIN_SITE_ROLES
from core.rules import citizen_id_check_code

_serial = itertools.count(1)


def make_id_number(birth: date = date(1990, 5, 17), male: bool = False) -> str:
    """A valid 18-digit ID with a unique sequence number."""
    n = next(_serial)
    seq = (n % 500) * 2 + (1 if male else 0)
    region = f"3202{(n // 500) % 100:02d}"
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + citizen_id_check_code(first17)


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("code",)

    code = "3202"
    name = "无锡市"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    city = factory.SubFactory(CityFactory)
    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}区")


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"S{n:04d}")
    name = factory.Sequence(lambda n: f"第{n}街道")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    street = factory.SubFactory(StreetFactory)
    code = factory.Sequence(lambda n: f"C{n:05d}")
    name = factory.Sequence(lambda n: f"第{n}社区")
    households = 2000
    centre_area = 700


class PostFactory(factory.django.DjangoModelFactory):
    """Posts of DOMAIN A1; ``PostFactory(code="deputy")`` gives the real range."""

    class Meta:
        model = Post
        django_get_or_create = ("code",)

    code = "staff"
    name = factory.LazyAttribute(
        lambda o: {"principal": "社区正职", "deputy": "社区副职"}.get(
            o.code, "其他工作人员"
        )
    )
    lowest_level = factory.LazyAttribute(
        lambda o: {"principal": 7, "deputy": 4}.get(o.code, 1)
    )
    highest_level = factory.LazyAttribute(
        lambda o: {"principal": 18, "deputy": 15}.get(o.code, 12)
    )


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    full_name = factory.Sequence(lambda n: f"工作者{n}")
    id_number = factory.LazyFunction(make_id_number)
    gender = ""
    birth_date = None
    community = factory.SubFactory(CommunityFactory)
    post = factory.SubFactory(PostFactory)
    level = factory.LazyAttribute(lambda o: o.post.lowest_level)
    started_on = date(2015, 3, 1)
    education = "bachelor"
    joined_on = date(2015, 3, 1)
    bank_name = "中国工商银行"
    bank_account = "6222020000001234567"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        worker = model_class(*args, **kwargs)
        worker.full_clean()
        worker.save()
        return worker


class WorkerPositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkerPosition

    worker = factory.SubFactory(WorkerFactory)
    position = "secretary"
    started_on = date(2015, 3, 1)


class WorkerCertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkerCertificate

    worker = factory.SubFactory(WorkerFactory)
    kind = "intermediate"
    obtained_on = date(2018, 6, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.CITY_STAFF
    is_staff = factory.LazyAttribute(lambda o: o.role in ADMIN_SITE_ROLES)
    password = factory.PostGenerationMethodCall("set_password", "pw-Test-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

"""The deterministic demo city of seed_demo: organisation, workers, logins."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password

from core.extensions import app_modules
from core.models import (
    CertificateKind,
    City,
    Community,
    District,
    Education,
    Post,
    Role,
    Street,
    User,
    Worker,
    WorkerCertificate,
    WorkerPosition,
)
from core.reference import reference_load_all
from core.rules import citizen_id_check_code

DEMO_PASSWORD = "Demo@2026"  # documented in the README; demo data only
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉萍红建文辉力斌宇浩凯鹏晨欣怡佳琪雪梅婷蕾雯倩颖慧晶"
DISTRICT_NAMES = [
    "梁溪区",
    "滨湖区",
    "新吴区",
    "锡山区",
    "惠山区",
    "江阴市",
    "宜兴市",
    "经开区",
]
STREET_WORDS = "崇安广益黄巷北大街扬名金星江海通江清名太湖蠡湖华庄雪浪马山旺庄硕放梅村鸿山新安东亭厚桥安镇堰桥长安钱桥前洲玉祁"
COMMUNITY_WORDS = "五河晴山蓝城春江花园清扬新村锦绣家园阳光水岸金色东方翠竹梅园青祁蠡溪隐秀山水映月湖景荣巷惠泉"
REGION_CODES = [
    "320213",
    "320211",
    "320214",
    "320205",
    "320206",
    "320281",
    "320282",
    "320200",
]


@dataclass
class DemoCity:
    city: City
    districts: list[District] = field(default_factory=list)
    streets: list[Street] = field(default_factory=list)
    communities: list[Community] = field(default_factory=list)
    workers: int = 0
    users: dict[str, User] = field(default_factory=dict)


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _id_number(
    rng: random.Random, region: str, birth: date, male: bool, used: set[str]
) -> str:
    while True:
        seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
        first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
        number = first17 + citizen_id_check_code(first17)
        if number not in used:
            used.add(number)
            return number


def _place_name(rng: random.Random, words: str, suffix: str, used: set[str]) -> str:
    while True:
        start = rng.randrange(0, len(words) - 1)
        name = words[start : start + 2] + suffix
        if name not in used:
            used.add(name)
            return name
        if len(used) > len(words) - 4:
            name = f"{words[start : start + 2]}{len(used)}{suffix}"
            used.add(name)
            return name


def _level_for(post: Post, service_years: int, education: str, certificate: str) -> int:
    """An approximation of DOMAIN A2 for demo data; payroll re-places properly."""
    edu_years = {"bachelor": 3, "master": 5, "doctor": 7}.get(education, 0)
    cert = {"assistant": 1, "intermediate": 2, "senior": 3}.get(certificate, 0)
    return min(
        post.highest_level, post.lowest_level + (service_years + edu_years) // 3 + cert
    )


def build_demo_city(
    *, communities: int, workers_per_community: int, seed: int, today: date
) -> DemoCity:
    """Create the demo organisation, workers and one login per role.

    Deterministic: the same arguments give the same rows (names, IDs, levels).
    """
    reference_load_all()
    rng = random.Random(seed)
    posts = {p.code: p for p in Post.objects.all()}
    city, _created = City.objects.get_or_create(
        code="3202", defaults={"name": "无锡市"}
    )
    demo = DemoCity(city=city)

    district_count = max(1, min(len(DISTRICT_NAMES), round(communities / 15)))
    street_count = max(district_count, round(communities / 5))
    for d in range(district_count):
        demo.districts.append(
            District.objects.create(
                city=city, code=f"D{d + 1:02d}", name=DISTRICT_NAMES[d]
            )
        )
    used_names: set[str] = set()
    for s in range(street_count):
        district = demo.districts[s % district_count]
        demo.streets.append(
            Street(
                district=district,
                code=f"{district.code}S{s // district_count + 1:02d}",
                name=_place_name(rng, STREET_WORDS, "街道", used_names),
            )
        )
    Street.objects.bulk_create(demo.streets)
    community_rows = []
    for c in range(communities):
        street = demo.streets[c % street_count]
        households = rng.randrange(800, 4500)
        required = max(Decimal(households) * Decimal("0.3"), Decimal("600"))
        area = (
            required * Decimal(rng.choice(["0.8", "0.95", "1.05", "1.2", "1.4"]))
        ).quantize(Decimal("1"))
        community_rows.append(
            Community(
                street=street,
                code=f"{street.code}C{c // street_count + 1:03d}",
                name=_place_name(rng, COMMUNITY_WORDS, "社区", used_names),
                households=households,
                centre_area=area,
            )
        )
    Community.objects.bulk_create(community_rows)
    demo.communities = list(Community.objects.order_by("code"))

    workers: list[Worker] = []
    extras: list[tuple[int, list[str], tuple[str, date] | None]] = []
    used_ids: set[str] = set()
    for community in demo.communities:
        region = REGION_CODES[int(community.code[1:3]) % len(REGION_CODES)]
        one_shoulder = rng.random() < 0.5
        roles: list[tuple[str, list[str]]] = [
            ("principal", ["secretary", "director"] if one_shoulder else ["secretary"])
        ]
        if not one_shoulder:
            roles.append(("principal", ["director"]))
        roles += [("deputy", ["deputy_secretary"]), ("deputy", ["deputy_director"])]
        while len(roles) < workers_per_community:
            roles.append(("staff", ["staff"]))
        for post_code, positions in roles[:workers_per_community]:
            post = posts[post_code]
            male = rng.random() < 0.4
            age = rng.randrange(24, 58)
            birth = date(today.year - age, rng.randrange(1, 13), rng.randrange(1, 29))
            service_years = rng.randrange(0, max(1, min(30, age - 21)))
            started = date(today.year - service_years, rng.randrange(1, 13), 1)
            if started > today:
                started = date(today.year, 1, 1)
            education = rng.choices(
                [
                    Education.BELOW_BACHELOR,
                    Education.BACHELOR,
                    Education.MASTER,
                    Education.DOCTOR,
                ],
                weights=[35, 55, 9, 1],
            )[0]
            certificate = rng.choices(
                [
                    "",
                    CertificateKind.ASSISTANT,
                    CertificateKind.INTERMEDIATE,
                    CertificateKind.SENIOR,
                ],
                weights=[40, 35, 22, 3],
            )[0]
            joined = started
            workers.append(
                Worker(
                    full_name=_name(rng),
                    id_number=_id_number(rng, region, birth, male, used_ids),
                    gender="M" if male else "F",
                    birth_date=birth,
                    community=community,
                    post=post,
                    level=_level_for(post, service_years, education, certificate),
                    started_on=started,
                    education=education,
                    joined_on=joined,
                    status=Worker.Status.ACTIVE,
                    bank_name=rng.choice(
                        [
                            "中国工商银行",
                            "中国建设银行",
                            "中国农业银行",
                            "江苏银行",
                            "无锡农村商业银行",
                        ]
                    ),
                    bank_account="6222"
                    + "".join(str(rng.randrange(10)) for _ in range(15)),
                    phone="139" + "".join(str(rng.randrange(10)) for _ in range(8)),
                )
            )
            certified = (
                (
                    certificate,
                    started
                    + timedelta(days=rng.randrange(0, max(1, (today - started).days))),
                )
                if certificate
                else None
            )
            extras.append((len(workers) - 1, positions, certified))
    Worker.objects.bulk_create(workers, batch_size=2000)
    held: list[WorkerPosition] = []
    certificates: list[WorkerCertificate] = []
    for index, codes, certified in extras:
        worker = workers[index]
        for code in codes:
            held.append(
                WorkerPosition(
                    worker=worker, position=code, started_on=worker.joined_on
                )
            )
        if certified:
            kind, obtained_on = certified
            certificates.append(
                WorkerCertificate(worker=worker, kind=kind, obtained_on=obtained_on)
            )
    WorkerPosition.objects.bulk_create(held, batch_size=5000)
    WorkerCertificate.objects.bulk_create(certificates, batch_size=5000)
    demo.workers = len(workers)
    demo.users = _demo_users(demo)
    return demo


def _demo_users(demo: DemoCity) -> dict[str, User]:
    first_district = demo.districts[0]
    first_street = demo.streets[0]
    first_community = demo.communities[0]
    specs: list[tuple[str, str, str, dict[str, Any]]] = [
        ("admin", "系统管理员", Role.ADMIN, {}),
        ("city", "市民政 王科长", Role.CITY_STAFF, {}),
        (
            "district",
            "区民政 李干事",
            Role.DISTRICT_STAFF,
            {"district": first_district},
        ),
        ("finance", "财务 张会计", Role.FINANCE, {}),
        ("finance2", "财务 陈复核", Role.FINANCE, {}),
        ("street", "街道 赵主任", Role.STREET_OFFICER, {"street": first_street}),
        (
            "secretary",
            f"{first_community.name}书记",
            Role.SECRETARY,
            {"community": first_community},
        ),
        ("auditor", "审计 孙审计师", Role.AUDITOR, {}),
    ]
    users = {}
    # One hash for all demo logins: hashing is deliberately slow (PBKDF2).
    password = make_password(DEMO_PASSWORD)
    for username, name, role, scope in specs:
        user = User(username=username, first_name=name, role=role, **scope)
        user.is_superuser = role == Role.ADMIN
        user.is_staff = role in (
            Role.ADMIN,
            Role.CITY_STAFF,
            Role.DISTRICT_STAFF,
            Role.FINANCE,
        )
        user.password = password
        user.save()
        users[username] = user
    # The demo worker's own login: a staff-post worker of the first community
    # (demo password, no first-login change, so the demo opens straight in).
    worker = (
        Worker.objects.filter(
            community=first_community, post__code="staff", status=Worker.Status.ACTIVE
        )
        .order_by("pk")
        .first()
    )
    if worker is not None:
        user = User(
            username="worker",
            first_name=worker.full_name,
            role=Role.WORKER,
            worker=worker,
            password=password,
        )
        user.save()
        users["worker"] = user
    return users


def demo_seed_apps(
    *, demo: DemoCity, seed: int, today: date, skip: Iterable[str] = ()
) -> None:
    """Let each app add its demo data in core.demo's wake (``<app>/demo.py``
    with ``seed_demo(demo=, seed=, today=)``), in INSTALLED_APPS order."""
    skipped = {"core", *skip}
    for config, module in app_modules("demo"):
        if config.name not in skipped and hasattr(module, "seed_demo"):
            module.seed_demo(demo=demo, seed=seed, today=today)


def demo_history_apps(*, demo: DemoCity, seed: int, since: date, today: date) -> int:
    """The demo's past: each app's optional ``seed_demo_history`` (the city
    simulation lives the months from ``since`` to ``today``). Returns the
    number of months the apps report."""
    months = 0
    for _config, module in app_modules("demo"):
        history = getattr(module, "seed_demo_history", None)
        if history is not None:
            months = max(
                months, history(demo=demo, seed=seed, since=since, today=today)
            )
    return months

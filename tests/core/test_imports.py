import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.imports import dataset_from_upload, import_dataset
from core.models import ChangeLog, Role, Worker
from core.resources import WorkerResource
from tests.factories import (
    CommunityFactory,
    PostFactory,
    UserFactory,
    WorkerFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db

HEADERS = [
    "身份证号", "姓名", "社区代码", "岗位代码", "等级", "参加社区工作日期",
    "学历学位", "入职日期", "职务", "最高社工证书", "证书取得日期",
    "开户银行", "银行账号",
]  # fmt: skip


def csv_upload(rows, headers=HEADERS, name="roster.csv"):
    buffer = io.StringIO()
    buffer.write(",".join(headers) + "\n")
    for row in rows:
        buffer.write(",".join(str(v) for v in row) + "\n")
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"))


def good_row(community, id_number=None, level=3, name="钱晓雯"):
    return [
        id_number or make_id_number(),
        name,
        community.code,
        "staff",
        level,
        "2019-04-01",
        "学士",
        "2019-04-01",
        "工作人员",
        "社工师",
        "2021-10-16",
        "中国工商银行",
        "6222021103004455667",
    ]


@pytest.fixture
def community():
    PostFactory(code="staff")
    PostFactory(code="principal")
    return CommunityFactory()


@pytest.fixture
def city_staff():
    return UserFactory(role=Role.CITY_STAFF)


def run_import(rows, user, *, dry_run=False):
    dataset = dataset_from_upload(csv_upload(rows))
    return import_dataset(WorkerResource(user=user), dataset, dry_run=dry_run)


def test_import_saves_all_rows_with_positions_certificates_and_history(
    community, city_staff
):
    report = run_import(
        [good_row(community), good_row(community, name="孙佳怡")], city_staff
    )

    assert report.saved
    assert report.counts["new"] == 2
    worker = Worker.objects.get(full_name="钱晓雯")
    assert worker.birth_date == date(1990, 5, 17)
    assert worker.certificates.get().kind == "intermediate"
    assert {p.position for p in worker.positions.all()} == {"staff"}
    entry = ChangeLog.objects.filter(object_id=str(worker.pk)).last()
    assert entry.action == ChangeLog.Action.IMPORT
    assert entry.actor == city_staff


def test_import_with_one_bad_row_saves_nothing_and_names_the_row(community, city_staff):
    bad = good_row(community)
    bad[0] = bad[0][:17] + ("0" if bad[0][17] != "0" else "1")  # break checksum

    report = run_import(
        [good_row(community), bad, good_row(community, name="孙佳怡")], city_staff
    )

    assert not report.saved
    assert Worker.objects.count() == 0
    assert [r.number for r in report.error_rows] == [2]
    assert report.error_rows[0].errors == ["身份证号：身份证号校验码错误。"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({2: "NOPE"}, "社区代码：代码“NOPE”不存在或不在您的范围内。"),
        ({4: 13}, "等级：等级 13 超出岗位“其他工作人员”的范围 1–12。"),
        ({1: ""}, "“姓名”为必填项。"),
        ({7: "2999-01-01"}, "入职日期：日期不能晚于今天。"),
        (
            {5: "2019-13-01"},
            "参加社区工作日期：日期“2019-13-01”格式错误，应为 YYYY-MM-DD。",
        ),
        ({8: "门卫"}, "未知职务“门卫”"),
    ],
)
def test_import_bad_values_get_a_clear_message(community, city_staff, change, message):
    row = good_row(community)
    for index, value in change.items():
        row[index] = value

    report = run_import([row], city_staff, dry_run=True)

    assert report.has_errors
    errors = " ".join(report.error_rows[0].errors)
    assert message in errors


def test_import_refuses_a_duplicate_id_in_the_file(community, city_staff):
    number = make_id_number()

    report = run_import(
        [good_row(community, number), good_row(community, number)], city_staff
    )

    assert not report.saved
    assert [r.number for r in report.error_rows] == [1, 2]
    assert "在文件中重复出现" in report.error_rows[0].errors[0]
    assert Worker.objects.count() == 0


def test_dry_run_saves_nothing_even_when_all_rows_are_good(community, city_staff):
    report = run_import([good_row(community)], city_staff, dry_run=True)

    assert not report.has_errors
    assert not report.saved
    assert Worker.objects.count() == 0


def test_district_staff_cannot_import_into_another_district(community):
    other_district_user = UserFactory(
        role=Role.DISTRICT_STAFF, district=CommunityFactory().street.district
    )

    report = run_import([good_row(community)], other_district_user)

    assert not report.saved
    assert "不存在或不在您的范围内" in report.error_rows[0].errors[0]


def test_export_then_import_changes_nothing(community, city_staff):
    # given
    worker = WorkerFactory(community=community, post=PostFactory(code="principal"))
    worker.positions.create(position="secretary", started_on=date(2015, 3, 1))
    worker.positions.create(position="director", started_on=date(2015, 3, 1))
    worker.certificates.create(kind="senior", obtained_on=date(2020, 1, 2))
    WorkerFactory(community=community, left_on=date(2024, 1, 31), status="left")
    before = list(Worker.objects.order_by("pk").values())
    log_count = ChangeLog.objects.count()
    resource = WorkerResource(user=city_staff)
    exported = resource.export(queryset=resource.get_queryset())
    upload = SimpleUploadedFile("back.xlsx", exported.xlsx)

    # when
    report = import_dataset(
        WorkerResource(user=city_staff), dataset_from_upload(upload), dry_run=False
    )

    # then
    assert report.saved
    assert report.counts == {"new": 0, "update": 0, "skip": 2, "invalid": 0, "error": 0}
    after = list(Worker.objects.order_by("pk").values())
    for row in before + after:
        row.pop("updated_at")
    assert after == before
    assert ChangeLog.objects.count() == log_count
    assert worker.positions.count() == 2


def test_export_masks_bank_accounts_and_a_reimport_keeps_them(community):
    worker = WorkerFactory(community=community)
    district_staff = UserFactory(
        role=Role.DISTRICT_STAFF, district=community.street.district
    )
    resource = WorkerResource(user=district_staff)
    exported = resource.export(queryset=resource.get_queryset())
    assert exported["银行账号"] == ["***************4567"]

    report = import_dataset(
        WorkerResource(user=district_staff),
        dataset_from_upload(SimpleUploadedFile("x.xlsx", exported.xlsx)),
        dry_run=False,
    )

    assert report.saved
    worker.refresh_from_db()
    assert worker.bank_account == "6222020000001234567"


def test_sample_roster_fixture_imports_into_the_demo_city(settings):
    from django.core.management import call_command

    call_command("seed_demo", "--workers-per-community", "4")
    with open(settings.BASE_DIR / "fixtures" / "sample_roster.csv", "rb") as handle:
        upload = SimpleUploadedFile("sample_roster.csv", handle.read())

    report = import_dataset(
        WorkerResource(user=None), dataset_from_upload(upload), dry_run=False
    )

    assert report.saved, report.error_rows
    assert report.counts["new"] == 5
    assert timezone.localdate() >= Worker.objects.get(full_name="吴敏").started_on


def test_import_reads_chinese_labels_whatever_the_users_language(community, city_staff):
    from django.utils import translation

    with translation.override("en"):
        report = run_import([good_row(community)], city_staff)

    assert report.saved
    assert Worker.objects.get().education == "bachelor"

"""Allocation import: a Chinese message per bad row naming its column; all or
nothing."""

from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.imports import import_dataset
from core.models import Role
from funding.models import FundYear
from funding.resources import HEADERS, AllocationResource
from tests.factories import CommunityFactory, StreetFactory, UserFactory

pytestmark = pytest.mark.usefixtures("fund_reference")

D = Decimal


def run(rows, *, user=None, dry_run=True):
    dataset = tablib.Dataset(headers=list(HEADERS))
    for row in rows:
        dataset.append(row)
    user = user or UserFactory(role=Role.CITY_STAFF)
    return import_dataset(AllocationResource(user=user), dataset, dry_run=dry_run)


def errors_by_row(report):
    return {row.number: row.errors for row in report.rows if row.errors}


def test_each_bad_row_names_its_column_in_chinese():
    a, b, c, d = (CommunityFactory() for _ in range(4))
    # when
    report = run(
        [
            [a.code, 2026, "200000", "100000", "60000", "40000"],
            ["NOPE", 2026, "200000", "100000", "60000", "40000"],
            [b.code, 2026, "150000", "100000", "50000", "0"],
            [c.code, 2026, "200000", "100000", "60000", "30000"],
            [d.code, 2026, "二十万", "100000", "60000", ""],
        ]
    )
    # then
    errors = errors_by_row(report)
    assert set(errors) == {2, 3, 4, 5}
    assert errors[2] == ["社区代码：社区代码“NOPE”不存在或不在您的管理范围内。"]
    assert errors[3] == [
        "年度拨款：年度拨款 150,000.00 元低于最低标准 200,000.00 元"
        "（每个社区每年不少于 200,000.00 元），不能保存。"
    ]
    assert errors[4] == [
        "市级承担、区级承担、街道承担合计 190,000.00 元，"
        "与年度拨款 200,000.00 元不一致。"
    ]
    assert "街道承担：“街道承担”为必填项。" in errors[5]
    assert "年度拨款：“二十万”不是有效的金额（元，最多两位小数）。" in errors[5]
    assert not FundYear.objects.exists()


def test_a_community_twice_in_the_file_names_both_rows():
    a, b = CommunityFactory(), CommunityFactory()
    report = run(
        [
            [a.code, 2026, "200000", "100000", "60000", "40000"],
            [b.code, 2026, "200000", "100000", "60000", "40000"],
            [a.code, 2026, "210000", "110000", "60000", "40000"],
        ]
    )
    errors = errors_by_row(report)
    message = "社区代码：社区 %s 的 2026 年度在文件中出现了 2 次（第 1、3 行），只能保留一行。"
    assert errors == {1: [message % a.code], 3: [message % a.code]}


def test_a_community_outside_the_users_scope_is_unknown_to_them():
    street = StreetFactory()
    mine, other = CommunityFactory(street=street), CommunityFactory()
    district = UserFactory(role=Role.DISTRICT_STAFF, district=street.district)
    report = run(
        [
            [mine.code, 2026, "200000", "100000", "60000", "40000"],
            [other.code, 2026, "200000", "100000", "60000", "40000"],
        ],
        user=district,
    )
    assert errors_by_row(report) == {
        2: [f"社区代码：社区代码“{other.code}”不存在或不在您的管理范围内。"]
    }


def test_one_bad_row_saves_nothing_and_a_good_file_saves_every_row():
    a, b = CommunityFactory(), CommunityFactory()
    bad = run(
        [
            [a.code, 2026, "200000", "100000", "60000", "40000"],
            [b.code, 2026, "199999.99", "100000", "60000", "39999.99"],
        ],
        dry_run=False,
    )
    assert not bad.saved
    assert not FundYear.objects.exists()
    good = run(
        [
            [a.code, 2026, "200,000.00", "100000", "60000", "40000"],
            [b.code, 2026, 250000, 125000, 75000, 50000],
        ],
        dry_run=False,
    )
    assert good.saved
    assert sorted(FundYear.objects.values_list("allocation", flat=True)) == [
        D("200000.00"),
        D("250000.00"),
    ]


def test_the_import_page_shows_the_row_messages(client):
    community = CommunityFactory()
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    csv = (
        ",".join(HEADERS) + "\n"
        f"{community.code},2026,200000,100000,60000,40000\n"
        "X999,2026,200000,100000,60000,40000\n"
    ).encode()
    response = client.post(
        reverse("funding:allocation-import"),
        {"file": SimpleUploadedFile("拨款.csv", csv)},
    )
    assert "第 2 行" in response.text
    assert "社区代码：社区代码“X999”不存在" in response.text
    assert "confirm-import" not in response.text


def test_the_template_round_trips(client):
    from openpyxl import load_workbook

    street = StreetFactory()
    communities = [CommunityFactory(street=street) for _ in range(3)]
    user = UserFactory(role=Role.DISTRICT_STAFF, district=street.district)
    client.force_login(user)
    response = client.get(reverse("funding:allocation-template"))
    import io

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert tuple(rows[0]) == HEADERS
    dataset = tablib.Dataset(headers=list(rows[0]))
    for row in rows[1:]:
        dataset.append(row)
    report = import_dataset(AllocationResource(user=user), dataset, dry_run=False)
    assert report.saved
    assert FundYear.objects.count() == len(communities)

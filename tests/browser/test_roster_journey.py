"""Journeys of issue 2 in a real browser."""

import pytest

from core.models import Role, Worker
from tests.browser.conftest import login
from tests.factories import (
    CommunityFactory,
    PostFactory,
    UserFactory,
    WorkerFactory,
    make_id_number,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "身份证号,姓名,社区代码,岗位代码,等级,参加社区工作日期,学历学位,入职日期,职务"


def test_secretary_sees_only_her_communitys_workers(page):
    home = CommunityFactory(name="五河社区")
    other = CommunityFactory(name="晴山社区")
    mine = WorkerFactory(community=home, full_name="钱晓雯")
    WorkerFactory(community=other, full_name="周建国")
    UserFactory(username="sec", role=Role.SECRETARY, community=home)

    login(page, "sec")
    page.click("text=社区工作者")

    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "钱晓雯" in rows.first.inner_text()
    assert "周建国" not in page.content()
    page.click("text=钱晓雯")
    assert page.locator("h1").inner_text().startswith("钱晓雯")
    # a secretary sees the ID masked
    assert mine.id_number not in page.content()
    assert mine.id_number[-4:] in page.content()


def test_district_staff_import_a_roster_fix_a_bad_row_and_import(page, tmp_path):
    PostFactory(code="staff")
    community = CommunityFactory()
    UserFactory(
        username="dist", role=Role.DISTRICT_STAFF, district=community.street.district
    )
    good_id, bad_level_id = make_id_number(), make_id_number()
    rows = [
        f"{good_id},钱晓雯,{community.code},staff,3,2019-04-01,学士,2019-04-01,工作人员",
        f"{bad_level_id},孙佳怡,{community.code},staff,13,2024-07-01,硕士,2024-07-01,工作人员",
    ]
    roster = tmp_path / "roster.csv"
    roster.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig")

    login(page, "dist")
    page.goto(f"{page.base_url}/roster/import/")
    page.set_input_files("input[type=file]", str(roster))
    page.click("text=上传并预览")

    bad_row = page.locator("tr[data-row='2']")
    assert "等级 13 超出岗位" in bad_row.inner_text()
    assert page.locator("#error-count").inner_text() == "1 行有错误"
    assert page.locator("#confirm-import").count() == 0
    assert Worker.objects.count() == 0

    # the staff member fixes the file and uploads it again
    rows[1] = rows[1].replace(",13,", ",2,")
    roster.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig")
    page.get_by_role("link", name="重新上传").click()
    page.set_input_files("input[type=file]", str(roster))
    page.click("text=上传并预览")
    page.click("#confirm-import")

    assert "导入完成：新增 2 行" in page.locator(".messages").inner_text()
    assert set(Worker.objects.values_list("full_name", flat=True)) == {
        "钱晓雯",
        "孙佳怡",
    }


def test_a_large_roster_checked_in_the_background_shows_progress_then_confirms(
    page,
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.import_jobs import import_job_create, import_job_run

    PostFactory(code="staff")
    community = CommunityFactory()
    user = UserFactory(username="city", role=Role.CITY_STAFF)
    rows = [
        f"{make_id_number()},测试{i},{community.code},staff,3,2019-04-01,学士,2019-04-01,工作人员"
        for i in range(3)
    ]
    upload = SimpleUploadedFile(
        "roster.csv", ("\n".join([HEADER, *rows]) + "\n").encode("utf-8-sig")
    )
    job = import_job_create(kind="roster", user=user, uploaded=upload)

    login(page, "city")
    page.goto(f"{page.base_url}/imports/{job.pk}/")
    assert page.locator("[data-import-progress-url]").count() == 1
    import_job_run(job.pk)  # the worker's check; the page notices and shows it

    page.wait_for_selector("#confirm-import", timeout=10_000)
    page.click("#confirm-import")
    page.wait_for_url("**/workers/")
    assert Worker.objects.count() == 3

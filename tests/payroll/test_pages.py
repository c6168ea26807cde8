"""Payroll pages as users meet them: titles, links between worker, payslip
and cycle, money formatting, query counts."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from core.models import User
from payroll.cycles.services import payroll_cycle_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(django_capture_on_commit_callbacks):
    call_command(
        "seed_demo", "--communities", "4", "--workers-per-community", "5", "--seed", "3"
    )
    with django_capture_on_commit_callbacks(execute=True):
        cycle = payroll_cycle_start(
            year=2026, month=3, actor=User.objects.get(username="finance")
        )
    cycle.refresh_from_db()
    return cycle


def test_worker_page_lists_the_workers_payslips(client, cycle):
    payslip = cycle.payslips.first()
    client.force_login(User.objects.get(username="finance"))
    page = client.get(f"/workers/{payslip.worker_id}/").content.decode()
    assert 'id="worker-payslips"' in page
    assert f'href="/payroll/payslips/{payslip.pk}/"' in page
    assert f"{payslip.net:,.2f}" in page


def test_a_secretary_reads_her_own_payslip_and_is_told_why_not_a_colleagues(
    client, cycle
):
    secretary = User.objects.get(username="secretary")
    in_community = cycle.payslips.filter(community=secretary.community)
    if secretary.worker_id is None:  # her own worker record, not another login's
        free = in_community.filter(worker__user__isnull=True).first()
        secretary.worker = free.worker
        secretary.save(update_fields=["worker"])
    own = in_community.get(worker=secretary.worker)
    colleague = in_community.exclude(pk=own.pk).first()
    client.force_login(secretary)

    page = client.get(f"/payroll/payslips/{own.pk}/").content.decode()
    refused = client.get(f"/payroll/payslips/{colleague.pk}/")

    assert "2026-03" in page
    # Her community's part of the city cycle is open to her.
    assert f'href="/payroll/cycles/{cycle.pk}/"' in page
    assert refused.status_code == 403
    assert "不能查看其他工作人员的工资单" in refused.content.decode()


def test_payslip_links_its_cycle_for_finance(client, cycle):
    payslip = cycle.payslips.first()
    client.force_login(User.objects.get(username="finance"))
    page = client.get(f"/payroll/payslips/{payslip.pk}/").content.decode()
    assert f'href="/payroll/cycles/{cycle.pk}/"' in page


def test_payroll_pages_have_their_own_titles(client, cycle):
    client.force_login(User.objects.get(username="finance"))
    payslip = cycle.payslips.first()
    for url, title in [
        ("/payroll/cycles/", "<title>工资周期 · "),
        (f"/payroll/cycles/{cycle.pk}/", "<title>工资周期 2026-03 · "),
        (f"/payroll/payslips/{payslip.pk}/", "<title>工资单 · "),
        ("/payroll/tax-summary/?year=2026", "<title>2026年度个税汇总 · "),
        ("/payroll/scales/", "<title>薪酬表版本 · "),
    ]:
        assert title in client.get(url).content.decode(), url


def test_cycle_detail_names_people_marks_grouping_and_empty_search(client, cycle):
    client.force_login(User.objects.get(username="finance2"))
    page = client.get(f"/payroll/cycles/{cycle.pk}/?by=street&q=zzz").content.decode()
    computed_by = User.objects.get(username="finance").get_full_name()
    assert f"计算人 {computed_by}" in page
    assert 'href="?by=street" class="current"' in page
    assert "没有符合条件的人员。" in page


@pytest.mark.parametrize(
    "url",
    [
        "/payroll/cycles/",
        "/payroll/cycles/{pk}/",
        "/payroll/cycles/{pk}/?by=community",
        "/payroll/tax-summary/?year=2026",
    ],
)
def test_payroll_lists_do_not_query_per_row(
    client, cycle, url, django_assert_max_num_queries
):
    client.force_login(User.objects.get(username="finance"))
    # The cycle page also shows the review before approval, the twelve-month
    # charts and retried chunks: a constant number of queries each.
    with django_assert_max_num_queries(20):
        assert client.get(url.format(pk=cycle.pk)).status_code == 200


def test_worker_page_queries_do_not_grow_with_payslips(
    client, cycle, django_assert_max_num_queries
):
    payslip = cycle.payslips.first()
    client.force_login(User.objects.get(username="finance"))
    # A constant number: the level check against the placement rule reads
    # the adopted versions' placement tables (4 queries), the facts of a day
    # the level history and the posts.
    with django_assert_max_num_queries(45):
        client.get(f"/workers/{payslip.worker_id}/")


def test_scale_and_indexation_pages_format_money(client, cycle):
    from payroll.models import ScaleVersion

    version = ScaleVersion.objects.first()
    client.force_login(User.objects.get(username="finance"))
    page = client.get(f"/payroll/scales/{version.pk}/").content.decode()
    pay = version.level_pays.order_by("-standard_pay").first().standard_pay
    assert f"{pay:,.2f}" in page
    preview = client.get(f"/payroll/scales/{version.pk}/indexation/").content.decode()
    assert f'href="/payroll/scales/{version.pk}/"' in preview
    if 'id="cost-total"' in preview:
        import re

        total = re.search(r'id="cost-total">(.*?)</tr>', preview).group(1)
        assert re.search(r"\d,\d{3}\.\d\d", total)
        assert "各区年度成本：原表与新表" in preview  # the chart, old against new
        assert "<svg" in preview
    else:
        assert 'class="error"' in preview

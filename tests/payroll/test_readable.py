"""What users read on payroll pages: names, not codes or JSON; English
derivations name posts in English."""

from __future__ import annotations

import pytest
from django.conf import settings
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


def test_admin_payslip_shows_lines_as_a_table_not_json(client, cycle):
    payslip = cycle.payslips.first()
    client.force_login(User.objects.get(username="finance"))

    page = client.get(f"/admin/payroll/payslip/{payslip.pk}/change/").content.decode()

    assert page.count("<tr>") > 3
    assert '[["' not in page
    assert "&quot;code&quot;" not in page
    assert "累计收入" in page


def test_worker_page_names_the_payslip_for_people(client, cycle):
    payslip = cycle.payslips.first()
    client.force_login(User.objects.get(username="finance"))

    page = client.get(
        f"/workers/{payslip.worker_id}/?pay_month=2026-03"
    ).content.decode()

    assert f"#{payslip.pk}" not in page
    assert "2026-03 工资单" in page


def test_english_payslip_names_the_post_in_english(client, cycle):
    payslip = cycle.payslips.filter(worker__post__code="principal").first()
    client.force_login(User.objects.get(username="finance"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(f"/payroll/payslips/{payslip.pk}/").content.decode()

    assert "社区正职" not in page
    assert "Payroll cycle 2026-03 (" in page
    assert "Principal" in page


def test_english_pages_use_an_english_colon_and_shipped_names(client, cycle):
    """The cycle page's labels read "Pay scales: …", not "Pay scales：…";
    the shipped deduction standards and the annuity target read in English
    with thousands separators."""
    from payroll.models import DeductionStandard

    client.force_login(User.objects.get(username="finance"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(f"/payroll/cycles/{cycle.pk}/").content.decode()
    target = client.get("/payroll/annuity/target/").content.decode()
    standard = DeductionStandard.objects.get(
        category="elderly_support", variant="only_child"
    )
    from django.utils import translation

    with translation.override("en"):
        label = standard.display_label

    assert "Pay scales: " in page
    assert "：" not in page.split("<main", 1)[-1].split("</main>")[0]
    assert "15,000.00" in target
    assert label == "Support of elderly parents (only child)"

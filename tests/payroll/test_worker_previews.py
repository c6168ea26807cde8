"""Adding a worker shows the placement the rule proposes and the first month's
pay before anything is saved; ending an employment shows the last month and
the annuity (payroll's previews through core.extensions)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from core import clock
from core.models import Community, Post, User, Worker
from payroll.models import AnnuityMembership
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command(
        "seed_demo", "--communities", "4", "--workers-per-community", "5", "--seed", "3"
    )


def _form(**extra):
    community = Community.objects.order_by("code").first()
    data = {
        "full_name": "新同事",
        "id_number": make_id_number(date(1990, 1, 2)),
        "community": community.pk,
        "post": Post.objects.get(code="staff").pk,
        "level": "",
        "started_on": "2014-07-01",
        "education": "master",
        "joined_on": clock.today().replace(day=1).isoformat(),
        "bank_name": "中国银行",
        "bank_account": "6216600000000002",
        "phone": "",
        "positions": ["staff"],
        "certificate": "intermediate",
        "certificate_on": "2020-05-01",
    }
    data.update(extra)
    return data


def test_city_staff_see_the_proposed_level_and_first_months_pay(client, demo):
    client.force_login(User.objects.get(username="city"))

    response = client.post(
        reverse("core:worker-create"), {**_form(), "action": "preview"}
    )

    page = response.content.decode()
    proposed = response.context["proposed"]
    assert proposed is not None
    assert 'id="placement-breakdown"' in page or 'id="placement-preview"' in page
    assert f"<strong>{proposed} 级</strong>" in page
    assert 'id="preview-gross"' in page
    assert response.context["form"]["level"].value() == str(proposed)
    assert not Worker.objects.filter(full_name="新同事").exists()

    saved = client.post(
        reverse("core:worker-create"),
        {**_form(level=str(proposed)), "action": "save"},
    )

    assert saved.status_code == 302
    assert Worker.objects.get(full_name="新同事").level == proposed


def test_ending_a_secretarys_employment_shows_and_closes_her_annuity(client, demo):
    membership = AnnuityMembership.objects.filter(ended_on__isnull=True).first()
    assert membership is not None
    worker = membership.worker
    client.force_login(User.objects.get(username="city"))
    left_on = clock.today()
    data = {"left_on": left_on.isoformat(), "reason": "resigned"}

    preview = client.post(
        reverse("core:worker-leave", args=[worker.pk]), {**data, "action": "preview"}
    )
    saved = client.post(
        reverse("core:worker-leave", args=[worker.pk]), {**data, "action": "save"}
    )

    page = preview.content.decode()
    assert 'id="leave-annuity-preview"' in page
    assert "企业年金成员资格在离职日结束" in page
    assert saved.status_code == 302
    membership.refresh_from_db()
    assert membership.leaving_reason == "resigned"
    assert membership.ended_on == left_on

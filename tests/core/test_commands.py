import hashlib
import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command

from core.models import CentreStandard, ChangeLog, Community, Post, User, Worker
from core.tasks import system_heartbeat_task


def demo_digest() -> str:
    rows = Worker.objects.order_by("id_number").values_list(
        "id_number", "full_name", "community__code", "post__code", "level",
        "started_on", "education", "bank_account",
    )  # fmt: skip
    communities = Community.objects.order_by("code").values_list(
        "code", "name", "households", "centre_area"
    )
    text = repr(list(rows)) + repr(list(communities))
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_seed_demo_is_deterministic_for_a_seed():
    args = ["--communities", "8", "--workers-per-community", "6"]
    call_command("seed_demo", *args, "--seed", "7")
    first = demo_digest()

    call_command("seed_demo", *args, "--seed", "7", "--reset")
    second = demo_digest()
    call_command("seed_demo", *args, "--seed", "8", "--reset")
    other = demo_digest()

    assert first == second
    assert other != first
    assert Worker.objects.count() == 48
    assert set(User.objects.values_list("role", flat=True)) == {
        "admin", "city_staff", "district_staff", "finance", "street_officer",
        "secretary", "auditor", "worker",
    }  # fmt: skip


@pytest.mark.django_db
def test_seed_demo_default_city_has_a_realistic_mix():
    call_command("seed_demo")

    assert Community.objects.count() == 30
    assert Worker.objects.count() == 450
    posts = {p.code: Worker.objects.filter(post=p).count() for p in Post.objects.all()}
    assert posts["principal"] >= 30
    assert posts["deputy"] == 60
    assert posts["staff"] > 300
    for worker in Worker.objects.select_related("post")[:450]:
        assert worker.post.lowest_level <= worker.level <= worker.post.highest_level
    secretary = User.objects.get(username="secretary")
    assert secretary.community is not None
    assert secretary.check_password("Demo@2026")


@pytest.mark.django_db
def test_reference_fixtures_load():
    call_command("loaddata", "core_reference", verbosity=0)

    assert Post.objects.get(code="principal").highest_level == 18
    assert CentreStandard.objects.get().minimum_total_area == 600


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 20 + uuid.uuid4().hex + "Y" * 20,
        "DJANGO_ALLOWED_HOSTS": "pay.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_heartbeat_task_runs_in_process_without_a_broker():
    token = uuid.uuid4().hex

    system_heartbeat_task.delay(token)
    system_heartbeat_task.delay(token)

    assert (
        ChangeLog.objects.filter(model="system.heartbeat", object_id=token).count() == 1
    )


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_heartbeat_reaches_a_real_worker_through_the_broker():
    token = uuid.uuid4().hex

    system_heartbeat_task.delay(token)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if ChangeLog.objects.filter(model="system.heartbeat", object_id=token).exists():
            break
        time.sleep(0.25)
    assert ChangeLog.objects.filter(model="system.heartbeat", object_id=token).exists()


@pytest.mark.django_db
def test_load_reference_is_idempotent_and_enough_to_compute_pay():
    from payroll.models import ContributionRates, ScaleVersion, TaxBracket, TaxTable

    call_command("load_reference")
    call_command("load_reference")

    assert Post.objects.count() == 3
    assert ScaleVersion.objects.filter(status="adopted").count() == 1
    assert ContributionRates.objects.count() == 1
    assert TaxTable.objects.count() == 2
    assert TaxBracket.objects.count() == 14

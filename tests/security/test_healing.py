"""Cycles that heal: a chunk that stopped moving is sent again by the
periodic check, and the cycle page says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from core import clock
from core.models import Role, User
from payroll.cycles.services import cycle_chunks_heal, payroll_cycle_start
from payroll.models import CycleChunk, PayrollCycle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stalled(settings):
    """A cycle whose chunk tasks were lost (never run), as after a crash."""
    settings.PAYROLL_CHUNK_SIZE = 3
    call_command(
        "seed_demo", "--communities", "2", "--workers-per-community", "4", "--seed", "3"
    )
    # Started without running its on-commit tasks: nothing computes.
    cycle = payroll_cycle_start(
        year=2026, month=3, actor=User.objects.get(username="finance")
    )
    assert cycle.status == "computing"
    return cycle


def test_fresh_chunks_are_left_alone(stalled, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert cycle_chunks_heal() == 0
    assert PayrollCycle.objects.get(pk=stalled.pk).status == "computing"


def test_stalled_chunks_are_sent_again_and_the_cycle_finishes(
    stalled, settings, django_capture_on_commit_callbacks, client
):
    long_ago = clock.now() - timedelta(seconds=settings.PAYROLL_CHUNK_STALE_SECONDS + 1)
    stalled.chunks.update(queued_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        sent = cycle_chunks_heal()

    cycle = PayrollCycle.objects.get(pk=stalled.pk)
    assert sent == cycle.chunks_total > 1
    assert cycle.status == "computed"
    assert set(
        CycleChunk.objects.filter(cycle=cycle).values_list("retries", flat=True)
    ) == {1}

    client.force_login(UserFactory(role=Role.FINANCE))
    page = client.get(reverse("payroll:cycle-detail", args=[cycle.pk])).content.decode()
    assert "自动重新计算（第 1 次）" in page


def test_a_started_chunk_is_stale_only_after_the_setting(stalled, settings):
    stale = timedelta(seconds=settings.PAYROLL_CHUNK_STALE_SECONDS)
    chunk = stalled.chunks.order_by("index").first()
    stalled.chunks.update(queued_at=clock.now() - stale * 2)
    # One chunk began long ago and never finished; the others began just now.
    CycleChunk.objects.filter(pk=chunk.pk).update(
        started_at=clock.now() - stale - timedelta(seconds=1)
    )
    stalled.chunks.exclude(pk=chunk.pk).update(started_at=clock.now())

    assert cycle_chunks_heal() == 1
    chunk.refresh_from_db()
    assert chunk.retries == 1
    assert chunk.retried_at is not None

"""Separation of duties: the administrator manages users and reference data
but cannot compute, approve or lock a payroll cycle."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from core.models import Role, User
from core.permissions import role_has_perm
from payroll.cycles.services import (
    payroll_cycle_approve,
    payroll_cycle_lock,
    payroll_cycle_start,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CYCLE_PERMS = ("payroll.run_cycle", "payroll.approve_cycle", "payroll.lock_cycle")


@pytest.fixture
def computed(django_capture_on_commit_callbacks):
    call_command(
        "seed_demo", "--communities", "2", "--workers-per-community", "4", "--seed", "3"
    )
    maker = UserFactory(role=Role.FINANCE)
    with django_capture_on_commit_callbacks(execute=True):
        cycle = payroll_cycle_start(year=2026, month=3, actor=maker)
    cycle.refresh_from_db()
    assert cycle.status == "computed"
    return cycle


def test_administrator_refused_on_approve(computed, client):
    admin = User.objects.get(username="admin")
    assert admin.is_superuser  # even the superuser flag does not grant it

    with pytest.raises(PermissionDenied):
        payroll_cycle_approve(cycle=computed, actor=admin)
    client.force_login(admin)
    client.post(reverse("payroll:cycle-action", args=[computed.pk, "approve"]))

    computed.refresh_from_db()
    assert computed.status == "computed"
    assert computed.approved_by is None


def test_administrator_cannot_start_or_lock(computed):
    admin = User.objects.get(username="admin")
    checker = UserFactory(role=Role.FINANCE)
    payroll_cycle_approve(cycle=computed, actor=checker)
    with pytest.raises(PermissionDenied):
        payroll_cycle_lock(cycle=computed, actor=admin)
    with pytest.raises(PermissionDenied):
        payroll_cycle_start(year=2026, month=4, actor=admin)


@pytest.mark.parametrize("role", [value for value, _label in Role.choices])
@pytest.mark.parametrize("superuser", [False, True])
def test_role_grant_and_has_perm_agree(role, superuser):
    user = UserFactory(role=role, is_superuser=superuser)
    for perm in CYCLE_PERMS:
        assert user.has_perm(perm) == role_has_perm(role, perm)
        assert user.has_perm(perm) == (role == Role.FINANCE)


def test_administrator_still_manages_users_and_reference_data():
    admin = UserFactory(role=Role.ADMIN, is_superuser=False)
    assert admin.has_perm("core.change_user")
    assert admin.has_perm("axes.delete_accessattempt")

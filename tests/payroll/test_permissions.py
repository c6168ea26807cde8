"""Who may run, approve and lock a payroll cycle and do the annuity's desk work:
Django permissions granted by role (payroll/roles.py), checked with has_perm."""

from __future__ import annotations

import pytest

from core.models import Role
from core.selectors import user_acts_for_district
from tests.factories import DistrictFactory, StreetFactory, UserFactory

pytestmark = pytest.mark.django_db

PAYROLL_DESK = (
    "payroll.run_cycle",
    "payroll.approve_cycle",
    "payroll.lock_cycle",
    "payroll.manage_annuity",
)


@pytest.mark.parametrize("role", list(Role.values))
def test_only_finance_runs_payroll(role):
    """Separation of duties: the administrator manages users and reference
    data, not payroll."""
    user = UserFactory(role=role)
    allowed = role == Role.FINANCE
    assert [user.has_perm(perm) for perm in PAYROLL_DESK] == [allowed] * 4


def test_the_superuser_flag_runs_no_payroll_and_an_inactive_officer_neither():
    # Running, approving and locking are granted by role only.
    assert not UserFactory(role=Role.AUDITOR, is_superuser=True).has_perm(
        "payroll.lock_cycle"
    )
    assert not UserFactory(role=Role.FINANCE, is_active=False).has_perm(
        "payroll.run_cycle"
    )


def test_viewing_permissions_do_not_grant_running_a_cycle():
    auditor = UserFactory(role=Role.AUDITOR)
    assert auditor.has_perm("payroll.view_payrollcycle")
    assert not auditor.has_perm("payroll.run_cycle")


def test_district_scope_of_a_cycle_action():
    district, other = DistrictFactory(), DistrictFactory()
    in_district = UserFactory(role=Role.FINANCE, district=district)
    city = UserFactory(role=Role.FINANCE)
    street = UserFactory(role=Role.FINANCE, street=StreetFactory(district=district))
    admin = UserFactory(role=Role.ADMIN)
    assert user_acts_for_district(in_district, district.pk)
    assert not user_acts_for_district(in_district, other.pk)
    assert not user_acts_for_district(in_district, None)
    assert user_acts_for_district(city, district.pk)
    assert user_acts_for_district(city, None)
    assert not user_acts_for_district(street, district.pk)
    assert user_acts_for_district(admin, other.pk)

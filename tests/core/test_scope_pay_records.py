"""Who reads one person's pay, and which payroll runs a scoped user opens
(core.selectors; payroll's pages use these)."""

import pytest

from core.models import Role, User, WorkerPosition
from core.selectors import (
    COLLEAGUE_PAY_REFUSED,
    cycle_scope_q,
    pay_record_filter,
    pay_record_refusal,
)
from tests.factories import (
    CommunityFactory,
    StreetFactory,
    UserFactory,
    WorkerFactory,
    WorkerPositionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    street = StreetFactory()
    home = CommunityFactory(street=street)
    other = CommunityFactory()
    me = WorkerFactory(community=home)
    colleague = WorkerFactory(community=home)
    stranger = WorkerFactory(community=other)
    # A stand-in for a payslip: one row per person, with worker and community.
    rows = {
        name: WorkerPositionFactory(worker=worker)
        for name, worker in (
            ("me", me),
            ("colleague", colleague),
            ("stranger", stranger),
        )
    }
    return home, other, me, colleague, rows


def _readable(user, rows):
    seen = set(
        pay_record_filter(
            WorkerPosition.objects.all(), user, community_path="worker__community"
        )
    )
    return {name for name, row in rows.items() if row in seen}


@pytest.mark.parametrize(
    ("role", "scope", "readable"),
    [
        (Role.FINANCE, None, {"me", "colleague", "stranger"}),
        (Role.AUDITOR, "community", {"me", "colleague"}),
        (Role.DISTRICT_STAFF, "district", {"me", "colleague"}),
        (Role.CITY_STAFF, None, {"me", "colleague", "stranger"}),
        (Role.SECRETARY, "community", {"me"}),
        (Role.STREET_OFFICER, "street", {"me"}),
    ],
)
def test_pay_records_are_read_by_payroll_roles_in_scope_and_by_the_person(
    town, role, scope, readable
):
    home, _other, me, _colleague, rows = town
    scope_kwargs = {
        None: {},
        "district": {"district": home.street.district},
        "street": {"street": home.street},
        "community": {"community": home},
    }[scope]
    user = UserFactory(role=role, worker=me, **scope_kwargs)

    assert _readable(user, rows) == readable


def test_a_secretary_without_a_worker_link_reads_no_payslip(town):
    home, _other, _me, _colleague, rows = town
    secretary = UserFactory(role=Role.SECRETARY, community=home)

    assert _readable(secretary, rows) == set()


def test_a_secretary_is_told_why_she_cannot_open_a_colleagues_payslip(town):
    home, other, me, colleague, _rows = town
    secretary = UserFactory(role=Role.SECRETARY, community=home, worker=me)

    assert pay_record_refusal(
        secretary, worker_id=colleague.pk, community_id=home.pk
    ) == str(COLLEAGUE_PAY_REFUSED)
    assert pay_record_refusal(secretary, worker_id=me.pk, community_id=home.pk) == ""
    # Outside her scope the record does not exist for her: no reason, a 404.
    assert pay_record_refusal(secretary, worker_id=0, community_id=other.pk) == ""


def test_finance_is_never_refused_in_scope(town):
    home, _other, _me, colleague, _rows = town
    finance = UserFactory(role=Role.FINANCE)

    assert (
        pay_record_refusal(finance, worker_id=colleague.pk, community_id=home.pk) == ""
    )


@pytest.mark.parametrize(
    ("role", "scope", "sees"),
    [
        (Role.CITY_STAFF, None, {"city", "home", "other"}),
        (Role.FINANCE, None, {"city", "home", "other"}),
        (Role.DISTRICT_STAFF, "district", {"city", "home"}),
        (Role.AUDITOR, "district", {"city", "home"}),
        (Role.STREET_OFFICER, "street", {"city", "home"}),
        (Role.SECRETARY, "community", {"city", "home"}),
    ],
)
def test_scoped_users_open_the_city_runs_and_their_districts(town, role, scope, sees):
    home, other, *_ = town
    # Users stand in for runs: each has a district or none (the city).
    runs = {
        "city": UserFactory(role=Role.FINANCE),
        "home": UserFactory(role=Role.FINANCE, district=home.street.district),
        "other": UserFactory(role=Role.FINANCE, district=other.street.district),
    }
    scope_kwargs = {
        None: {},
        "district": {"district": home.street.district},
        "street": {"street": home.street},
        "community": {"community": home},
    }[scope]
    user = UserFactory(role=role, **scope_kwargs)

    condition = cycle_scope_q(user)
    visible = set(User.objects.filter(condition, pk__in=[r.pk for r in runs.values()]))

    assert {name for name, run in runs.items() if run in visible} == sees


def test_an_inactive_user_opens_no_run():
    assert cycle_scope_q(UserFactory(role=Role.CITY_STAFF, is_active=False)) is None

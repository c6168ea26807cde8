"""Reference rows: seeded by the data migration, ensured idempotently."""

import pytest

from funding.models import Category, ForbiddenUse, FundPolicy, Transition
from funding.reference import (
    CATEGORIES,
    FORBIDDEN_USES,
    TRANSITIONS,
    reference_data_ensure_current,
)


@pytest.mark.django_db
def test_reference_rows_are_complete_and_ensuring_twice_adds_nothing():
    reference_data_ensure_current()
    reference_data_ensure_current()
    assert FundPolicy.objects.count() == 1
    assert list(Category.objects.values_list("name", flat=True)) == [
        name for _code, name, _description, _order in CATEGORIES
    ]
    assert ForbiddenUse.objects.count() == len(FORBIDDEN_USES)
    assert Transition.objects.count() == len(TRANSITIONS)
    policy = FundPolicy.objects.get().as_rule()
    assert policy.minimum_allocation == 200000
    assert policy.notice_days == 7
    assert policy.allowed_receipt_types == ("pdf", "jpg", "png")


@pytest.mark.django_db
def test_every_state_but_the_ends_has_a_way_forward():
    reference_data_ensure_current()
    sources = set(Transition.objects.values_list("from_state", flat=True))
    assert sources == {
        "proposed",
        "discussed",
        "street_reviewed",
        "on_notice",
        "street_approved",
        "approved",
        "in_progress",
        "reported",
        "accepted",
        "published",
        "reopened",
    }


@pytest.mark.django_db
def test_above_the_threshold_only_the_district_reserves_the_money():
    reference_data_ensure_current()
    reserving = Transition.objects.filter(reserves_money=True)
    assert {(t.from_state, t.role, t.requires_district) for t in reserving} == {
        ("on_notice", "street_officer", False),
        ("street_approved", "district_staff", True),
    }
    assert not Transition.objects.filter(
        from_state="on_notice", role="district_staff"
    ).exists()


@pytest.mark.django_db
def test_load_reference_ships_the_expense_classifications():
    from django.core.management import call_command

    from funding.models import ExpenseClass

    ExpenseClass.objects.all().delete()
    call_command("load_reference")
    rows = {c.code: c for c in ExpenseClass.objects.all()}
    assert rows["resident_subsidy"].is_allowed
    assert not rows["office_supplies"].is_allowed
    assert rows["office_supplies"].rule == "专项资金不得用于社区办公开支"
    assert all(c.rule for c in rows.values())
    # staff edits are kept on a second load
    ExpenseClass.objects.filter(code="publicity").update(name="宣传品")
    call_command("load_reference")
    assert ExpenseClass.objects.get(code="publicity").name == "宣传品"

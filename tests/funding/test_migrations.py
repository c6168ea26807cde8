"""The data migration gives every expense already recorded a classification."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from funding.models import Expense
from funding.reference import reference_data_ensure_current
from tests.funding.factories import approved_project

BEFORE = ("funding", "0005_budget_changes_classifications_carry_forward")
AFTER = ("funding", "0006_classify_existing_expenses")


@pytest.mark.django_db(transaction=True)
def test_expenses_recorded_before_classifications_get_the_legacy_row():
    reference_data_ensure_current()
    project = approved_project()
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        old_apps = executor.loader.project_state([BEFORE]).apps
        old_expense = old_apps.get_model("funding", "Expense")
        original = old_expense.objects.create(
            project_id=project.pk,
            payee="某公司",
            paid_on=date(2026, 3, 1),
            amount=Decimal("1200"),
            description="灯具",
            recorded_by_id=project.proposed_by_id,
        )
        old_expense.objects.create(
            project_id=project.pk,
            payee="某公司",
            paid_on=date(2026, 3, 2),
            amount=Decimal("-1200"),
            description="录错",
            reverses_id=original.pk,
            recorded_by_id=project.proposed_by_id,
        )
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    codes = set(Expense.objects.values_list("classification__code", flat=True))
    assert codes == {"legacy"}
    legacy = Expense.objects.first().classification
    assert legacy.is_allowed
    assert not legacy.applies_on(date(2026, 3, 1))  # nobody can choose it now

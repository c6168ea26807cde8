"""Data for budget control: new steps and guards, the classification list,
a classification for every expense already recorded, receipt digests."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

from funding.reference import (
    LEGACY_EXPENSE_CLASS,
    RETIRED_TRANSITIONS,
    TRANSITION_FLAGS,
    reference_data_ensure,
)


def forwards(apps, schema_editor):
    transition = apps.get_model("funding", "Transition")
    for source, target, role in RETIRED_TRANSITIONS:
        transition.objects.filter(
            from_state=source, to_state=target, role=role
        ).delete()
    expense_class = apps.get_model("funding", "ExpenseClass")
    reference_data_ensure(
        policy_model=apps.get_model("funding", "FundPolicy"),
        category_model=apps.get_model("funding", "Category"),
        forbidden_model=apps.get_model("funding", "ForbiddenUse"),
        transition_model=transition,
        expense_class_model=expense_class,
    )
    # Earlier data migrations may have made the new steps without their guards.
    for flag, steps in TRANSITION_FLAGS.items():
        for source, target, role in steps:
            transition.objects.filter(
                from_state=source, to_state=target, role=role
            ).update(**{flag: True})
    # Nobody chose a classification for the expenses already recorded: they
    # get the legacy row, which the reviewer sees as "to be checked", rather
    # than a guess that would read as a decision.
    legacy = expense_class.objects.get(code=LEGACY_EXPENSE_CLASS[0])
    apps.get_model("funding", "Expense").objects.filter(
        classification__isnull=True
    ).update(classification=legacy)
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    stored_file = apps.get_model("funding", "StoredFile")
    for stored in stored_file.objects.filter(sha256="").iterator():
        path = root / stored.path
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            stored_file.objects.filter(pk=stored.pk).update(sha256=digest)


class Migration(migrations.Migration):
    dependencies = [("funding", "0005_budget_changes_classifications_carry_forward")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="expense",
            name="classification",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT,
                to="funding.expenseclass",
                verbose_name="经济分类",
            ),
        ),
    ]

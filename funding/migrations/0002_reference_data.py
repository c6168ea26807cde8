from django.db import migrations

from funding.reference import reference_data_ensure


def forwards(apps, schema_editor):
    reference_data_ensure(
        policy_model=apps.get_model("funding", "FundPolicy"),
        category_model=apps.get_model("funding", "Category"),
        forbidden_model=apps.get_model("funding", "ForbiddenUse"),
        transition_model=apps.get_model("funding", "Transition"),
    )


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

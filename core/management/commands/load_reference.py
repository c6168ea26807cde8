"""Load the default dated tables a new installation needs to compute on day one
(posts, pay scale, tax and contribution tables, fund policy). Idempotent."""

from django.core.management.base import BaseCommand

from core.reference import reference_load_all


class Command(BaseCommand):
    help = "Load the default reference tables (demo values)."

    def handle(self, *args, **options):
        loaded = reference_load_all()
        self.stdout.write("Reference data loaded: " + ", ".join(loaded))

"""Default reference data of core (DOMAIN A1, A10): posts and the centre standard.

Idempotent: rows that exist (by code, by date) are kept as staff left them.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.conf import settings

from core.models import CentreStandard, Post


def reference_load() -> None:
    path = settings.BASE_DIR / "fixtures" / "core_reference.json"
    for row in json.loads(path.read_text(encoding="utf-8")):
        fields = row["fields"]
        if row["model"] == "core.post":
            Post.objects.get_or_create(
                code=fields["code"],
                defaults={k: v for k, v in fields.items() if k != "code"},
            )
        elif row["model"] == "core.centrestandard":
            CentreStandard.objects.get_or_create(
                effective_on=fields["effective_on"],
                defaults={
                    "area_per_100_households": Decimal(
                        fields["area_per_100_households"]
                    ),
                    "minimum_total_area": Decimal(fields["minimum_total_area"]),
                    "source_note": fields["source_note"],
                },
            )


def reference_load_all() -> list[str]:
    """Run every app's ``reference.reference_load()`` (core first), in one
    transaction; returns the apps that loaded."""
    from django.db import transaction

    from core.extensions import app_modules

    loaded = []
    with transaction.atomic():
        for config, module in app_modules("reference"):
            loader = getattr(module, "reference_load", None)
            if loader is not None:
                loader()
                loaded.append(config.name)
    return loaded

"""The shipped default scheme (DOMAIN A4–A6): fixtures/payroll_reference.json.

The file is data, not a Django fixture: posts are named by code, so it loads
into any database whatever the primary keys of its posts.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from core.models import Post
from payroll.models import (
    ScaleCertificateLevels,
    ScaleEducationYears,
    ScaleGradeCoefficient,
    ScaleLevelPay,
    ScaleParameter,
    ScalePostAllowance,
    ScaleStarAllowance,
    ScaleVersion,
)

REFERENCE_FILE = "payroll_reference.json"


def reference_path() -> Path:
    return Path(settings.FIXTURE_DIRS[0]) / REFERENCE_FILE


def reference_data() -> dict[str, Any]:
    return json.loads(reference_path().read_text(encoding="utf-8"))


def _decimal(row: dict[str, Any], *names: str) -> dict[str, Any]:
    return {
        key: Decimal(value) if key in names and value is not None else value
        for key, value in row.items()
    }


@transaction.atomic
def scale_reference_load(
    data: dict[str, Any] | None = None, *, code: str | None = None
) -> ScaleVersion:
    """Create the version described by ``data`` (the shipped file by default).
    Returns the existing version if its code is already there."""
    data = data or reference_data()
    head = dict(data["version"])
    if code:
        head["code"] = code
    existing = ScaleVersion.objects.filter(code=head["code"]).first()
    if existing is not None:
        return existing
    version = ScaleVersion(
        code=head["code"],
        name=head["name"],
        effective_on=date.fromisoformat(head["effective_on"]),
        source_note=head.get("source_note", ""),
        status=head.get("status", ScaleVersion.Status.DRAFT),
    )
    version.full_clean()
    version.save()
    posts = {p.code: p for p in Post.objects.all()}
    ScaleLevelPay.objects.bulk_create(
        ScaleLevelPay(version=version, **_decimal(r, "standard_pay"))
        for r in data["standard_pay"]
    )
    ScalePostAllowance.objects.bulk_create(
        ScalePostAllowance(
            version=version,
            post=posts[r["post"]],
            amount=Decimal(r["amount"]),
            source_note=r.get("source_note", ""),
        )
        for r in data["post_allowances"]
        if r["post"] in posts
    )
    ScaleGradeCoefficient.objects.bulk_create(
        ScaleGradeCoefficient(version=version, **_decimal(r, "coefficient"))
        for r in data["grade_coefficients"]
    )
    ScaleStarAllowance.objects.bulk_create(
        ScaleStarAllowance(version=version, **_decimal(r, "amount"))
        for r in data["star_allowances"]
    )
    ScaleEducationYears.objects.bulk_create(
        ScaleEducationYears(version=version, **r) for r in data["education_years"]
    )
    ScaleCertificateLevels.objects.bulk_create(
        ScaleCertificateLevels(version=version, **r) for r in data["certificate_levels"]
    )
    ScaleParameter.objects.bulk_create(
        ScaleParameter(version=version, **_decimal(r, "rate", "amount"))
        for r in data["parameters"]
    )
    return version


def tax_reference_load() -> None:
    """The default tax tables and contribution rates (DOMAIN A7, Part B 7.3),
    from fixtures/payroll_tax_reference.json; existing rows are kept."""
    import json

    from django.conf import settings

    from payroll.models import ContributionRates, TaxBracket, TaxTable

    path = settings.BASE_DIR / "fixtures" / "payroll_tax_reference.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    tables: dict[int, TaxTable | None] = {}
    for row in rows:
        fields = dict(row["fields"])
        if row["model"] == "payroll.contributionrates":
            ContributionRates.objects.get_or_create(
                effective_on=fields.pop("effective_on"), defaults=fields
            )
        elif row["model"] == "payroll.taxtable":
            table, created = TaxTable.objects.get_or_create(
                kind=fields.pop("kind"),
                effective_on=fields.pop("effective_on"),
                defaults=fields,
            )
            tables[row["pk"]] = table if created else None
        elif row["model"] == "payroll.taxbracket":
            table = tables.get(fields.pop("table"))
            if table is not None:  # brackets only for a table created now
                TaxBracket.objects.create(table=table, **fields)


def reference_load() -> None:
    """Everything payroll needs on day one (core.load_reference calls it)."""
    from payroll.annuity.services.plans import annuity_plan_demo_load

    scale_reference_load()
    tax_reference_load()
    annuity_plan_demo_load()

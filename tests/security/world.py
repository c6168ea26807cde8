"""Objects to fill URL patterns with: one inside the area of every scoped demo
user (the secretary's community, so also the street officer's street and the
district officer's district) and one in another district."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory

from core.models import Community, District, User

# kind -> (model label, lookup from the model to its Community, or "" when the
# model is not placed in the city). A URL row in permission_matrix names its kind.
KINDS: dict[str, tuple[str, str | None]] = {
    "worker": ("core.worker", "community"),
    "community": ("core.community", ""),
    "public-community": ("core.community", ""),
    "scale": ("payroll.scaleversion", None),
    "cycle": ("payroll.payrollcycle", "district"),
    "payslip": ("payroll.payslip", "community"),
    "annuity-account": ("payroll.annuityaccount", "worker__community"),
    "annuity-membership": ("payroll.annuitymembership", "worker__community"),
    "annuity-entry": ("payroll.annuityentry", "account__worker__community"),
    "fund-year": ("funding.fundyear", "community"),
    "project": ("funding.project", "fund_year__community"),
    "objection": ("funding.objection", "project__fund_year__community"),
    "expense": ("funding.expense", "project__fund_year__community"),
    "file": ("funding.storedfile", "expense__project__fund_year__community"),
    "totp-device": ("otp_totp.totpdevice", None),
    "user": ("core.user", None),
    "document": ("core.issueddocument", "community"),
    "document-batch": ("core.documentbatch", None),
    "import-job": ("core.importjob", None),
    "budget-change": ("funding.budgetchange", "project__fund_year__community"),
    "declaration": ("payroll.deductionclaim", "worker__community"),
}


# Scoped admin lists whose inside object must really be inside (else the
# page is tried with no object).
SCOPED_ADMIN_FALLBACK_NONE = {"core.changelog"}


@dataclass
class World:
    home: Community
    home_district: District
    district_user: User
    cache: dict[tuple[str, bool], Any] = field(default_factory=dict)

    def object(self, kind: str, *, inside: bool) -> Any:
        if kind not in KINDS:
            return None
        key = (kind, inside)
        if key not in self.cache:
            self.cache[key] = self._find(kind, inside)
        return self.cache[key]

    def _find(self, kind: str, inside: bool) -> Any:
        label, path = KINDS[kind]
        model = apps.get_model(label)
        rows = model.objects.order_by("pk")
        if path is None:
            return rows.first()
        if path == "district":
            lookup = {"district": self.home_district}
            return (rows.filter(**lookup) if inside else rows.exclude(**lookup)).first()
        prefix = f"{path}__" if path else ""
        if inside:
            return rows.filter(**{f"{prefix}pk": self.home.pk}).first()
        return rows.exclude(**{f"{prefix}street__district": self.home_district}).first()

    def admin_object(self, label: str, *, inside: bool) -> Any:
        """An object the district officer's admin list shows (inside) or does
        not show (outside; the same object when the list is not scoped)."""
        model = apps.get_model(label)
        model_admin = admin.site._registry[model]
        request = RequestFactory().get("/admin/")
        request.user = self.district_user
        visible = model_admin.get_queryset(request).order_by("pk")
        if inside:
            if visible.exists() or not model.objects.exists():
                return visible.first()
            # Nothing of this kind in the district officer's area: an object
            # the list shows to the whole city.
            return (
                None
                if label in SCOPED_ADMIN_FALLBACK_NONE
                else (model.objects.order_by("pk").first())
            )
        outside = model.objects.exclude(pk__in=visible.values("pk")).order_by("pk")
        return outside.first() or model.objects.order_by("pk").first()

    def admin_param(self, name: str) -> Any:
        return {"app_label": "core"}.get(name, "x")


def build_world() -> World:
    """The demo city plus a computed payroll cycle in each of two districts."""
    secretary = User.objects.get(username="secretary")
    district_user = User.objects.get(username="district")
    home = secretary.community
    _cycles(home.street.district)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=User.objects.get(username="admin"), name="demo")
    _papers(home)
    return World(
        home=home, home_district=home.street.district, district_user=district_user
    )


def _cycles(home_district: District) -> None:
    try:
        from payroll.cycles.services import payroll_cycle_start
    except ImportError:  # before the payroll layout moved
        from payroll.services.cycles import payroll_cycle_start
    from core import clock

    finance = User.objects.get(username="finance")
    today = clock.today()
    for district in District.objects.order_by("pk")[:2]:
        payroll_cycle_start(
            year=today.year, month=today.month, district=district, actor=finance
        )


def _papers(home: Community) -> None:
    """One issued document, budget change and deduction claim inside the
    scoped users' area and one in another district, and a finished document
    batch of the finance officer, so that their pages are walked with real
    ids (in scope and out of scope), not only with missing ones."""
    import io
    import zipfile
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from django.db.models import Q

    from core import clock
    from core.documents.models import DocumentBatch
    from core.models import Worker
    from funding.models import BudgetChange, FundYear, ProjectState
    from funding.pdf import statement_issue
    from payroll.declarations.selectors import deduction_standard_for
    from payroll.models import DeductionClaim
    from tests.funding.factories import approved_project

    city = User.objects.get(username="city")
    secretary = User.objects.get(username="secretary")
    away = ~Q(community__street__district=home.street.district)
    fund_years = FundYear.objects.order_by("-year", "pk")
    for fund_year in (
        fund_years.filter(community=home).first(),
        fund_years.filter(away).first(),
    ):
        assert fund_year is not None, "the demo city has fund years"
        statement_issue(fund_year=fund_year, issued_by=city)
        project = approved_project(
            fund_year=fund_year,
            estimated_cost=Decimal(30000),
            state=ProjectState.IN_PROGRESS,
            proposed_by=secretary,
        )
        BudgetChange.objects.create(
            project=project,
            previous_amount=project.reserved,
            new_amount=project.reserved + Decimal(1000),
            reason="参与人数增加",
            proposed_by=secretary,
        )
    standard = deduction_standard_for("elderly_support", "only_child", 2026)
    assert standard is not None
    assert secretary.worker is not None
    other = Worker.objects.filter(away).order_by("pk").first()
    for worker in (secretary.worker, other):
        DeductionClaim.objects.create(
            worker=worker,
            year=2026,
            standard=standard,
            category=standard.category,
            monthly_amount=standard.monthly_amount,
            submitted_at=clock.now(),
        )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("readme.txt", "demo")
    batch = DocumentBatch.objects.create(
        kind="payslip_bundle",
        title="工资条批量",
        language="zh-hans",
        requested_by=User.objects.get(username="finance"),
        status=DocumentBatch.Status.DONE,
        finished_at=clock.now(),
    )
    batch.result.save("batch.zip", ContentFile(archive.getvalue()))

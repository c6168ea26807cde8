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

"""The city driver itself: the cast from the demo users, and ``CityDriver``,
which runs each month in the order of its days (yearly jobs, fund, events,
the payroll cycle on the 25th).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from core import clock
from core.models import (
    Community,
    Role,
    User,
    Worker,
)
from payroll.annuity.services.returns import annuity_return_credit
from payroll.cycles import services as cycles
from payroll.cycles.bases import contribution_base_propose
from payroll.levels.services import (
    progression_run,
)
from payroll.models import (
    AnnuityPlan,
    AnnuityReturn,
    PayrollCycle,
    ScaleVersion,
)
from payroll.scales.costs import indexation_cost
from payroll.scales.selectors import scale_for, scale_version_in_force
from payroll.scales.services import scale_version_adopt, scale_version_index

from .base import CYCLE_DAY, EVENT_DAY, Cast, MonthReport
from .events import RosterEvents
from .fund import FundSteps


def cast_from_demo(users: dict[str, User], *, funded: Iterable[Community]) -> Cast:
    """The demo logins, plus a secretary, street officer and district login
    for each community whose fund the driver runs (same password hash)."""
    password = users["admin"].password
    cast = Cast(city=users["city"], maker=users["finance"], checker=users["finance2"])
    for community in funded:
        street = community.street
        district = street.district
        if district.pk not in cast.districts:
            cast.districts[district.pk] = _login(
                f"sim_d{district.pk}", Role.DISTRICT_STAFF, password, district=district
            )
        if street.pk not in cast.streets:
            cast.streets[street.pk] = _login(
                f"sim_s{street.pk}", Role.STREET_OFFICER, password, street=street
            )
        cast.secretaries[community.pk] = _login(
            f"sim_c{community.pk}", Role.SECRETARY, password, community=community
        )
    return cast


def _login(username: str, role: str, password: str, **scope: Any) -> User:
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={"role": role, "password": password, "first_name": username, **scope},
    )
    return user


class CityDriver(FundSteps, RosterEvents):
    """Lives the city month by month; see the module docstring."""

    # --- the month ----------------------------------------------------------

    def run(
        self,
        start: date,
        months: int,
        on_month: Callable[[MonthReport], None] | None = None,
    ) -> list[MonthReport]:
        reports = []
        year, month = start.year, start.month
        for _index in range(months):
            report = self.month(year, month)
            reports.append(report)
            if on_month:
                on_month(report)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return reports

    def month(self, year: int, month: int) -> MonthReport:
        self.counts = {}
        first = date(year, month, 1)
        with clock.frozen(first):
            if month == 1:
                self.new_year(year)
            if month == 7:
                self._count("bases", contribution_base_propose(year=year, actor=None))
        if self.funding:
            self.fund_month(year, month)
        with clock.frozen(date(year, month, EVENT_DAY)):
            self.events(year, month)
        with clock.frozen(date(year, month, CYCLE_DAY)):
            report = self.cycle(year, month)
        report.events = dict(self.counts)
        return report

    # --- 1 January and 1 July ---------------------------------------------

    def new_year(self, year: int) -> None:
        """Indexation, progression, last year's annuity return, fund years."""
        if year > self.first_year:
            self.indexation(year)
            self._count("level_changes", len(progression_run(year=year, actor=None)))
            self.annuity_return(year - 1)
        if self.funding:
            self.fund_years(year)

    def indexation(self, year: int) -> None:
        """A new scale version by the growth rule, its cost preview, adopted."""
        effective_on = date(year, 1, 1)
        current = scale_version_in_force(effective_on - timedelta(days=1))
        if current is None:
            raise RuntimeError(f"no pay scale in force before {effective_on}")
        draft = ScaleVersion.objects.filter(code=str(year)).first()
        if draft is None:
            draft = scale_version_index(
                version=current,
                code=str(year),
                effective_on=effective_on,
                name=f"三岗十八级薪酬表 {year}版",
            )
        if draft.status == ScaleVersion.Status.ADOPTED:
            return
        cost = indexation_cost(
            old=scale_for(current),
            new=scale_for(draft),
            workers=Worker.objects.all(),
            on=effective_on,
        )
        self.log(
            f"{year}-01 indexation {draft.code}: yearly cost "
            f"{cost.total.old} -> {cost.total.new} ({cost.total.percent}%)"
        )
        scale_version_adopt(version=draft)
        self._count("scale_versions")

    def annuity_return(self, year: int) -> None:
        for plan in AnnuityPlan.objects.order_by("pk"):
            if AnnuityReturn.objects.filter(plan=plan, year=year).exists():
                continue
            rate = Decimal(self.rng.choice(["0.0312", "0.0385", "0.0417", "-0.0080"]))
            entry = AnnuityReturn(plan=plan, year=year, rate=rate)
            entry.full_clean()
            entry.save()
            annuity_return_credit(annuity_return=entry)
            self._count("annuity_returns")

    # --- the cycle (the 25th) ---------------------------------------------

    def cycle(self, year: int, month: int) -> MonthReport:
        started = time.perf_counter()
        cycle = cycles.payroll_cycle_start(
            year=year, month=month, district=None, actor=self.cast.maker
        )
        cycle.refresh_from_db()
        if cycle.status == PayrollCycle.Status.COMPUTED:
            with transaction.atomic():
                cycle = cycles.payroll_cycle_approve(
                    cycle=cycle, actor=self.cast.checker
                )
                cycle = cycles.payroll_cycle_lock(cycle=cycle, actor=self.cast.checker)
        return MonthReport(
            year=year,
            month=month,
            cycle_id=cycle.pk,
            status=cycle.status,
            payslips=cycle.payslips.count(),
            error=cycle.error,
            seconds=round(time.perf_counter() - started, 2),
        )

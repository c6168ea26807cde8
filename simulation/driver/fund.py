"""The driver's fund steps: fund years closed and allocated on 1 January,
projects started, spent on and finished between the 3rd and the 18th.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from core import clock
from core.models import (
    Community,
    User,
)
from core.money import decimal_of
from funding import services as funding
from funding.demo import receipt_png
from funding.models import Category, CouncilMeeting, FundYear, Project, ProjectState
from funding.selectors import expense_class_list

from .base import FUND_DAYS, DriverBase


class FundSteps(DriverBase):
    """The fund's year and months: fund years closed and allocated, projects
    started, spent on and finished between the 3rd and the 18th."""

    def funded_communities(self) -> list[int]:
        return sorted(self.cast.secretaries)

    def fund_years(self, year: int) -> None:
        """Close last year (carrying over) and allocate this year's funds."""
        city = self.cast.city
        today = clock.today()
        for fund_year in FundYear.objects.filter(
            year=year - 1, status=FundYear.Status.OPEN
        ).order_by("pk"):
            funding.fund_year_close(actor=city, fund_year=fund_year, today=today)
            self._count("fund_years_closed")
        for community in Community.objects.order_by("code"):
            if FundYear.objects.filter(community=community, year=year).exists():
                continue
            allocation = Decimal(self.rng.choice(["200000", "220000", "250000"]))
            street_share = Decimal("40000")
            funding.fund_year_set(
                actor=city,
                community=community,
                year=year,
                allocation=allocation,
                city_share=allocation / 2,
                district_share=allocation / 2 - street_share,
                street_share=street_share,
            )
            self._count("fund_years")

    def fund_month(self, year: int, month: int) -> None:
        """Projects through their life: proposed, discussed, reviewed, on
        notice and approved in February; spending March to October; accepted
        and published in November."""
        for community_id in self.funded_communities():
            fund_year = FundYear.objects.filter(
                community_id=community_id, year=year, status=FundYear.Status.OPEN
            ).first()
            if fund_year is None:
                continue
            if month == 2:
                self._projects_start(fund_year, year)
            elif 3 <= month <= 10:
                self._projects_spend(fund_year, year, month)
            elif month == 11:
                self._projects_finish(fund_year, year)

    def _projects_start(self, fund_year: FundYear, year: int) -> None:
        community = fund_year.community
        secretary = self.cast.secretaries[community.pk]
        street = self.cast.streets[community.street_id]
        district = self.cast.districts[community.street.district_id]
        specs = [
            ("public", "楼道照明更新", "更换单元楼道感应灯", "老旧小区居民", "42000"),
            (
                "urgent",
                "加装电梯评估",
                "为三个单元加装电梯开展评估",
                "高层住户",
                "65000",
            ),
            ("party", "党员先锋岗", "党员志愿者开展邻里帮扶", "小区居民", "18000"),
        ]
        ids = []
        for code, title, purpose, who, cost in specs:
            day = date(year, 2, FUND_DAYS[0])
            with clock.frozen(day):
                project = funding.project_propose(
                    actor=secretary,
                    fund_year=fund_year,
                    category=Category.objects.get(code=code),
                    title=f"{year}年{title}",
                    purpose=purpose,
                    beneficiaries=who,
                    expected_beneficiaries=self.rng.randrange(100, 1500),
                    estimated_cost=Decimal(cost),
                    today=day,
                )
                funding.council_meeting_record(
                    actor=secretary,
                    project=project,
                    held_on=day,
                    attendance=self.rng.randrange(15, 40),
                    minutes="与会代表表决通过。",
                    result=CouncilMeeting.Result.PASSED,
                    today=day,
                )
            if code == "party":  # the third is withdrawn after the meeting
                self._step(
                    secretary, project, ProjectState.WITHDRAWN, day, "居民意见调整"
                )
                continue
            steps = [
                (secretary, ProjectState.DISCUSSED, 3),
                (street, ProjectState.STREET_REVIEWED, 6),
                (secretary, ProjectState.ON_NOTICE, 6),
                (street, ProjectState.APPROVED, 16),
                (secretary, ProjectState.IN_PROGRESS, 18),
            ]
            if project.needs_district:
                steps[3:4] = [
                    (street, ProjectState.STREET_APPROVED, 16),
                    (district, ProjectState.APPROVED, 17),
                ]
            for actor, state, day_of_month in steps:
                project = self._step(actor, project, state, date(year, 2, day_of_month))
            ids.append(project.pk)
            self._count("projects")
        self.projects[fund_year.pk] = ids

    def _step(
        self, actor: User, project: Project, state: str, day: date, comment: str = ""
    ) -> Project:
        with clock.frozen(day):
            return funding.project_transition(
                actor=actor, project=project, to_state=state, today=day, comment=comment
            )

    def _projects_spend(self, fund_year: FundYear, year: int, month: int) -> None:
        secretary = self.cast.secretaries[fund_year.community_id]
        day = date(year, month, 10)
        services_bought = expense_class_list(day).get(code="services_bought")
        with clock.frozen(day):
            for project in Project.objects.filter(
                pk__in=self.projects.get(fund_year.pk, []),
                state=ProjectState.IN_PROGRESS,
            ).order_by("pk"):
                # 80% of the cost, in eight monthly payments.
                amount = (decimal_of(project.estimated_cost) * Decimal("0.1")).quantize(
                    Decimal("0.01")
                )
                # Each receipt is its own file: the same file twice in a fund
                # year is refused as a duplicate (A9).
                number = f"{project.pk:05d}-{year}{month:02d}"
                receipt = receipt_png(number=number, amount=amount, day=day)
                funding.expense_record(
                    actor=secretary,
                    project=project,
                    payee="无锡市惠民服务有限公司",
                    paid_on=day,
                    amount=amount,
                    description=f"项目实施费用（{month}月）",
                    classification=services_bought,
                    files=[SimpleUploadedFile(f"发票{number}.png", receipt)],
                    today=day,
                )
                self._count("expenses")

    def _projects_finish(self, fund_year: FundYear, year: int) -> None:
        secretary = self.cast.secretaries[fund_year.community_id]
        street = self.cast.streets[fund_year.community.street_id]
        for project in Project.objects.filter(
            pk__in=self.projects.get(fund_year.pk, []),
            state=ProjectState.IN_PROGRESS,
        ).order_by("pk"):
            # The secretary reports the spending complete; the street accepts.
            project = self._step(
                secretary, project, ProjectState.REPORTED, date(year, 11, 5)
            )
            project = self._step(
                street, project, ProjectState.ACCEPTED, date(year, 11, 10)
            )
            self._step(secretary, project, ProjectState.PUBLISHED, date(year, 11, 12))

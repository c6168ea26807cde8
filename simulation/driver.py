"""The city driver: a demo city lived month by month through the services the
pages use, on the application's clock (``core.clock``).

Every month, in the order of its days: the yearly jobs on the 1st (January:
indexation, progression, annuity returns, the fund years; July: contribution
bases), the fund's projects between the 3rd and the 18th, the roster and
rating events on the 20th (joiners, leavers, secretaries replaced, changes
of post, certificates, grades, star ratings, tax declarations, bonuses), and
the payroll cycle on the 25th: computed by one finance user, approved and
locked by another. The same seed gives the same city and the same events.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from core import clock
from core.demo import _id_number, _name
from core.models import (
    CertificateKind,
    Community,
    Education,
    Position,
    Post,
    Role,
    User,
    Worker,
    WorkerCertificate,
    WorkerPosition,
)
from core.money import decimal_of
from core.services import worker_certificate_record, worker_positions_set, worker_save
from funding import services as funding
from funding.demo import receipt_png
from funding.models import Category, CouncilMeeting, FundYear, Project, ProjectState
from funding.selectors import expense_class_list
from payroll.annuity.services.postings import annuity_member_leave
from payroll.annuity.services.returns import annuity_return_credit
from payroll.cycles import services as cycles
from payroll.cycles.bases import contribution_base_propose
from payroll.levels.services import (
    placement_record,
    progression_run,
    worker_post_change,
)
from payroll.models import (
    AnnuityMembership,
    AnnuityPlan,
    AnnuityReturn,
    LeavingReason,
    PayrollCycle,
    ScaleVersion,
    TaxDeclaration,
    YearEndBonus,
)
from payroll.scales.costs import indexation_cost
from payroll.scales.selectors import scale_for, scale_version_in_force
from payroll.scales.services import scale_version_adopt, scale_version_index
from ratings.rules import BASIC_PASS, EXCELLENT, FAIL, PASS
from ratings.services import annual_grade_record, star_rating_record

FUND_DAYS = (3, 18)
EVENT_DAY = 20
CYCLE_DAY = 25
GRADE_WEIGHTS: tuple[tuple[str, int], ...] = (
    (EXCELLENT, 20),
    (PASS, 70),
    (BASIC_PASS, 8),
    (FAIL, 2),
)
# Monthly shares of the active workers (demo values of the simulation).
JOIN_RATE = 0.008
LEAVE_RATE = 0.007
POST_CHANGE_RATE = 0.004
CERTIFICATE_RATE = 0.006
STAR_RATE = 0.03
LATE_GRADE_SHARE = 0.03
BONUS_SHARE = 0.6
DECLARATION_SHARE = 0.3
FUNDED_COMMUNITIES = 6
# The fields the events choose workers by (a chosen one is read whole).
ACTIVE_FIELDS = (
    "pk",
    "full_name",
    "joined_on",
    "birth_date",
    "community_id",
    "level",
    "status",
    "post",
)


@dataclass
class MonthReport:
    year: int
    month: int
    cycle_id: int | None
    status: str
    payslips: int
    error: str = ""
    seconds: float = 0.0
    events: dict[str, int] = field(default_factory=dict)


@dataclass
class Cast:
    """The logins the driver acts as."""

    city: User
    maker: User  # computes the cycles
    checker: User  # approves and locks them
    secretaries: dict[int, User] = field(default_factory=dict)  # by community
    streets: dict[int, User] = field(default_factory=dict)  # by street
    districts: dict[int, User] = field(default_factory=dict)  # by district


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


class CityDriver:
    """Lives the city month by month; see the module docstring."""

    def __init__(
        self,
        *,
        cast: Cast,
        seed: int,
        first_year: int,
        funding: bool = True,
        grades: bool = True,
        intensity: float = 1.0,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.cast = cast
        self.rng = random.Random(seed * 7919 + 11)
        self.first_year = first_year
        self.funding = funding
        self.grades = grades
        self.intensity = intensity  # scales every event rate (the demo's past: less)
        self.log = log or (lambda _message: None)
        self.used_ids = set(Worker.objects.values_list("id_number", flat=True))
        self.posts = {p.code: p for p in Post.objects.all()}
        self.late_grades: list[tuple[int, int]] = []  # (worker, year)
        self.death_done = False
        self.projects: dict[int, list[int]] = {}  # fund year -> project ids
        self.counts: dict[str, int] = {}
        # Workers a month's joins and leavings wrote (the joiner, the leaver,
        # a new secretary): the active list is read again for them only.
        self.touched: set[int] = set()
        self._communities: list[Community] | None = None

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

    def _count(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def _number(self, population: int, rate: float) -> int:
        """A whole number of events with the expected value population × rate."""
        expected = population * rate * self.intensity
        whole = int(expected)
        return whole + (1 if self.rng.random() < expected - whole else 0)

    def _active(self, on: date) -> list[Worker]:
        """The active workers, light (the fields the events choose by); a
        chosen one is read whole before a service changes it (``_whole``)."""
        return self._light(
            Worker.objects.filter(status=Worker.Status.ACTIVE, joined_on__lte=on)
        )

    @staticmethod
    def _light(workers: Any) -> list[Worker]:
        """``workers`` in ``pk`` order with the fields of ``ACTIVE_FIELDS``,
        each holding its post from one read of the few posts (rather than
        10,000 copies of them from a join)."""
        posts = {post.pk: post for post in Post.objects.all()}
        light = list(workers.only(*ACTIVE_FIELDS).order_by("pk"))
        for worker in light:
            worker.post = posts[worker.post_id]
        return light

    def _active_again(self, before: list[Worker], on: date) -> list[Worker]:
        """``_active(on)`` after the joins and leavings: the list read before,
        with the workers they wrote (``touched``) read again; the same list as
        reading every active worker again, for a query of a few rows."""
        if not self.touched:
            return before
        fresh = self._light(
            Worker.objects.filter(
                pk__in=self.touched, status=Worker.Status.ACTIVE, joined_on__lte=on
            )
        )
        kept = [w for w in before if w.pk not in self.touched]
        return sorted(kept + fresh, key=lambda w: w.pk)

    @staticmethod
    def _whole(worker: Worker) -> Worker:
        return Worker.objects.select_related("post", "community").get(pk=worker.pk)

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

    # --- the fund ----------------------------------------------------------

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

    # --- roster and rating events (the 20th) ------------------------------

    def events(self, year: int, month: int) -> None:
        today = clock.today()
        active = self._active(today)
        self.touched = set()
        for _ in range(self._number(len(active), JOIN_RATE)):
            self.join(today)
        self.leavers(active, today)
        active = self._active_again(active, today)
        for worker in self._sample(active, self._number(len(active), POST_CHANGE_RATE)):
            self.change_post(worker, today)
        for worker in self._sample(active, self._number(len(active), CERTIFICATE_RATE)):
            self.certificate(worker, today)
        for worker in self._sample(active, self._number(len(active), STAR_RATE)):
            self.star_rating(worker, today)
        if self.grades:
            self.grade_events(active, year, month)
        self.declarations(active, year, month)
        if month == 11:
            self.bonuses(active, year)

    def _sample(self, workers: list[Worker], count: int) -> list[Worker]:
        return self.rng.sample(workers, min(count, len(workers)))

    def _day(self, today: date) -> date:
        return date(today.year, today.month, self.rng.randrange(1, today.day))

    def join(self, today: date) -> Worker:
        """A new staff member, placed by A2 on the joining day."""
        if self._communities is None:  # the driver adds no community
            self._communities = list(Community.objects.order_by("code"))
        community = self.rng.choice(self._communities)
        joined = self._day(today)
        age = self.rng.randrange(23, 45)
        male = self.rng.random() < 0.4
        birth = date(today.year - age, self.rng.randrange(1, 13), 1)
        region = "320213"
        started = joined - timedelta(days=365 * self.rng.randrange(0, 8))
        worker = Worker(
            full_name=_name(self.rng),
            id_number=_id_number(self.rng, region, birth, male, self.used_ids),
            community=community,
            post=self.posts["staff"],
            level=self.posts["staff"].lowest_level,
            started_on=min(started, joined),
            education=self.rng.choice(
                [Education.BELOW_BACHELOR, Education.BACHELOR, Education.MASTER]
            ),
            joined_on=joined,
            status=Worker.Status.ACTIVE,
            bank_name="江苏银行",
            bank_account="6222"
            + "".join(str(self.rng.randrange(10)) for _ in range(15)),
        )
        worker_save(actor=self.cast.city, worker=worker, note="新录用")
        worker_positions_set(
            actor=self.cast.city, worker=worker, positions={"staff"}, on=joined
        )
        placement_record(actor=self.cast.city, worker=worker, on=joined)
        self.touched.add(worker.pk)
        self._count("joiners")
        return worker

    def leavers(self, active: list[Worker], today: date) -> None:
        """Resignations and retirements; each April a secretary resigns (and
        is replaced); the first August, a secretary dies in office."""
        leaving = [
            (w, LeavingReason.RETIREMENT)
            if today.year - w.birth_date.year >= 55
            else (w, LeavingReason.RESIGNED)
            for w in self._sample(active, self._number(len(active), LEAVE_RATE))
        ]
        secretaries = []
        if today.month in (4, 8):
            in_office = set(
                WorkerPosition.objects.filter(
                    position=Position.SECRETARY, ended_on__isnull=True
                ).values_list("worker_id", flat=True)
            )
            secretaries = [w for w in active if w.pk in in_office]
        if today.month == 4 and secretaries:
            leaving.append((self.rng.choice(secretaries), LeavingReason.RESIGNED))
        if today.month == 8 and not self.death_done and secretaries:
            leaving.append((self.rng.choice(secretaries), LeavingReason.DEATH))
            self.death_done = True
        done: set[int] = set()
        for worker, reason in leaving:
            if worker.pk in done or worker.joined_on >= today:
                continue
            done.add(worker.pk)
            self.leave(worker, max(self._day(today), worker.joined_on), reason)

    def late_changes(self, today: date, count: int = 3) -> None:
        """Facts that reach back into locked months, entered today: a star
        rating dated two months ago, a change of post dated last month."""
        active = self._active(today)
        back = date(today.year, today.month, 1) - timedelta(days=1)
        for worker in self._sample(active, count):
            star_rating_record(
                actor=self.cast.city,
                worker=worker,
                rated_on=max(
                    back.replace(day=1) - timedelta(days=20), worker.joined_on
                ),
                stars=4,
                assessor="区委组织部（补录）",
            )
            self._count("late_star_ratings")
        staff = [w for w in active if w.post.code == "staff" and w.joined_on < back]
        for worker in self._sample(staff, max(1, count // 2)):
            worker_post_change(
                actor=self.cast.city,
                worker=self._whole(worker),
                post=self.posts["deputy"],
                on=back.replace(day=1),
                note="岗位调整（补录）",
            )
            self._count("late_post_changes")

    def leave(self, worker: Worker, left_on: date, reason: str) -> None:
        self.touched.add(worker.pk)
        worker = self._whole(worker)
        worker.left_on = left_on
        worker.status = Worker.Status.LEFT
        worker_save(
            actor=self.cast.city, worker=worker, note=str(LeavingReason(reason).label)
        )
        self._count(f"left_{reason}")
        membership = (
            AnnuityMembership.objects.filter(worker=worker, leaving_reason="")
            .order_by("pk")
            .first()
        )
        if membership is not None:
            annuity_member_leave(
                membership=membership, left_on=left_on, reason=reason, actor=None
            )
        if worker.positions.filter(
            position=Position.SECRETARY, ended_on__isnull=True
        ).exists():
            worker_positions_set(
                actor=self.cast.city, worker=worker, positions=set(), on=left_on
            )
            self.appoint_secretary(worker.community, left_on + timedelta(days=1))

    def appoint_secretary(self, community: Community, on: date) -> None:
        """The community's next secretary: a deputy moves to the principal post."""
        candidates = list(
            Worker.objects.filter(
                community=community, status=Worker.Status.ACTIVE, left_on__isnull=True
            )
            .select_related("post")
            .order_by("-post__lowest_level", "pk")
        )
        if not candidates:
            return
        chosen = candidates[0]
        self.touched.add(chosen.pk)
        on = min(on, clock.today())
        held = set(
            chosen.positions.filter(ended_on__isnull=True).values_list(
                "position", flat=True
            )
        )
        worker_positions_set(
            actor=self.cast.city,
            worker=chosen,
            positions=(held - {"deputy_secretary", "staff"}) | {"secretary"},
            on=on,
        )
        if chosen.post.code != "principal":
            worker_post_change(
                actor=self.cast.city,
                worker=chosen,
                post=self.posts["principal"],
                on=on,
                note="任命为社区党组织书记",
            )
        self._count("secretaries_appointed")

    def change_post(self, worker: Worker, today: date) -> None:
        target = {"staff": "deputy", "deputy": "principal"}.get(worker.post.code)
        if target is None:
            return
        worker = self._whole(worker)
        worker_post_change(
            actor=self.cast.city,
            worker=worker,
            post=self.posts[target],
            on=self._day(today),
            note="岗位调整",
        )
        self._count("post_changes")

    def certificate(self, worker: Worker, today: date) -> None:
        held = set(
            WorkerCertificate.objects.filter(worker=worker).values_list(
                "kind", flat=True
            )
        )
        for kind in (
            CertificateKind.ASSISTANT,
            CertificateKind.INTERMEDIATE,
            CertificateKind.SENIOR,
        ):
            if kind not in held:
                worker_certificate_record(
                    actor=self.cast.city,
                    worker=self._whole(worker),
                    kind=kind,
                    obtained_on=self._day(today),
                )
                self._count("certificates")
                return

    def star_rating(self, worker: Worker, today: date) -> None:
        rated_on = max(self._day(today), worker.joined_on)
        star_rating_record(
            actor=self.cast.city,
            worker=worker,
            rated_on=rated_on,
            stars=self.rng.choices([1, 2, 3, 4, 5], weights=[5, 30, 35, 20, 10])[0],
            assessor="区委组织部（模拟）",
        )
        self._count("star_ratings")

    def grade_events(self, active: list[Worker], year: int, month: int) -> None:
        """Last year's grades: half in January, the rest in February, a few
        late (September)."""
        last = year - 1
        if month in (1, 2):
            graded = set(
                Worker.objects.filter(annual_grades__year=last).values_list(
                    "pk", flat=True
                )
            )
            due = [
                w
                for w in active
                if w.pk not in graded and w.joined_on <= date(last, 12, 31)
            ]
            if month == 1:
                due = due[: len(due) // 2]
            else:
                share = round(len(due) * LATE_GRADE_SHARE * self.intensity)
                late = self._sample(due, max(1, share) if due else 0)
                late_ids = {w.pk for w in late}
                self.late_grades.extend((w.pk, last) for w in late)
                due = [w for w in due if w.pk not in late_ids]
            for worker in due:
                self.grade(worker, last)
        elif month == 9:
            pending, self.late_grades = self.late_grades, []
            for worker in Worker.objects.filter(
                pk__in=[pk for pk, _y in pending]
            ).order_by("pk"):
                # A late grade is often the hard case: a 不合格 (A4, A11).
                self.grade(
                    worker,
                    next(y for pk, y in pending if pk == worker.pk),
                    grade=FAIL if self.rng.random() < 0.5 else None,
                )
                self._count("late_grades")

    def grade(self, worker: Worker, year: int, grade: str | None = None) -> None:
        grades, weights = zip(*GRADE_WEIGHTS, strict=True)
        annual_grade_record(
            actor=self.cast.city,
            worker=worker,
            year=year,
            grade=grade or self.rng.choices(grades, weights=weights)[0],
        )
        self._count("grades")

    def declarations(self, active: list[Worker], year: int, month: int) -> None:
        """专项附加扣除: many declare in January, a few during the year."""
        share = DECLARATION_SHARE if month == 1 else 0.01
        declared = set(
            TaxDeclaration.objects.filter(year=year).values_list("worker_id", flat=True)
        )
        pool = [w for w in active if w.pk not in declared]
        for worker in self._sample(pool, self._number(len(pool), share)):
            declaration = TaxDeclaration(
                worker=worker,
                year=year,
                child_education=Decimal(self.rng.choice(["0", "2000", "4000"])),
                elderly_support=Decimal(self.rng.choice(["0", "1500", "3000"])),
                housing_rent=Decimal(self.rng.choice(["0", "0", "1500"])),
            )
            declaration.full_clean()
            declaration.save()
            self._count("declarations")

    def bonuses(self, active: list[Worker], year: int) -> None:
        """Year-end bonuses paid with December's pay; a few merged."""
        for worker in self._sample(active, self._number(len(active), BONUS_SHARE)):
            bonus = YearEndBonus(
                worker=worker,
                year=year,
                month=12,
                amount=Decimal(self.rng.choice(["3000", "6000", "12000", "36000"])),
                merge_into_comprehensive_income=self.rng.random() < 0.1,
            )
            bonus.full_clean()
            bonus.save()
            self._count("bonuses")

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

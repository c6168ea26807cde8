"""The driver's roster and rating events of the 20th: joiners, leavers,
secretaries replaced, changes of post, certificates, grades, star ratings,
tax declarations, bonuses.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from core import clock
from core.demo import _id_number, _name
from core.models import (
    CertificateKind,
    Community,
    Education,
    Position,
    Worker,
    WorkerCertificate,
    WorkerPosition,
)
from core.services import worker_certificate_record, worker_positions_set, worker_save
from payroll.annuity.services.postings import annuity_member_leave
from payroll.levels.services import (
    placement_record,
    worker_post_change,
)
from payroll.models import (
    AnnuityMembership,
    LeavingReason,
    TaxDeclaration,
    YearEndBonus,
)
from ratings.rules import FAIL
from ratings.services import annual_grade_record, star_rating_record

from .base import (
    BONUS_SHARE,
    CERTIFICATE_RATE,
    DECLARATION_SHARE,
    GRADE_WEIGHTS,
    JOIN_RATE,
    LATE_GRADE_SHARE,
    LEAVE_RATE,
    POST_CHANGE_RATE,
    STAR_RATE,
    DriverBase,
)


class RosterEvents(DriverBase):
    """The roster and rating events of the 20th: joiners, leavers, secretaries
    replaced, changes of post, certificates, grades, star ratings, tax
    declarations, bonuses."""

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

"""Payroll cycle services: start, compute in chunks, approve, lock, correct."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from core import clock
from core.models import Post, Role, Worker
from payroll.cycles.selectors import cycle_totals_by
from payroll.cycles.services import (
    payroll_cycle_approve,
    payroll_cycle_cancel,
    payroll_cycle_lock,
    payroll_cycle_recompute,
    payroll_cycle_start,
)
from payroll.models.cycles import PayrollCycle, Payslip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """Start a cycle and run its on-commit tasks (in-process here)."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            cycle = payroll_cycle_start(**kwargs)
        cycle.refresh_from_db()
        return cycle

    return run


def test_cycle_computes_one_payslip_per_employed_worker(city, start):
    cycle = start(year=2026, month=3, actor=city["maker"])

    cycle.refresh_from_db()
    assert cycle.status == PayrollCycle.Status.COMPUTED
    employed = Worker.objects.filter(joined_on__lte=date(2026, 3, 31)).count()
    assert cycle.payslips.count() == employed
    payslip = cycle.payslips.first()
    lines = payslip.pay_lines()
    earnings = sum(line.amount for line in lines if line.kind == "earning")
    deductions = sum(line.amount for line in lines if line.kind == "deduction")
    assert payslip.gross == earnings
    assert payslip.net == earnings - deductions
    assert {"basic", "SI_PENSION", "HOUSING_FUND", "IIT"} <= {
        line.code for line in lines
    }
    assert Decimal(cycle.totals["net"]) == sum(p.net for p in cycle.payslips.all())


def test_two_starts_give_one_computation(city, start):
    first = start(year=2026, month=3, actor=city["maker"])
    count = Payslip.objects.count()

    second = start(year=2026, month=3, actor=city["checker"])

    assert first.pk == second.pk
    assert Payslip.objects.count() == count
    assert PayrollCycle.objects.count() == 1


def test_maker_cannot_approve_and_locked_cycle_refuses_changes(city, start):
    cycle = start(year=2026, month=3, actor=city["maker"])

    with pytest.raises(PermissionDenied):
        payroll_cycle_approve(cycle=cycle, actor=city["maker"])
    payroll_cycle_approve(cycle=cycle, actor=city["checker"])
    payroll_cycle_lock(cycle=cycle, actor=city["checker"])

    cycle.refresh_from_db()
    assert cycle.status == PayrollCycle.Status.LOCKED
    with pytest.raises(ValidationError):
        payroll_cycle_recompute(cycle=cycle, actor=city["maker"])
    with pytest.raises(ValidationError):
        payroll_cycle_cancel(cycle=cycle, actor=city["maker"])
    payslip = cycle.payslips.first()
    payslip.net = Decimal("1.00")
    with pytest.raises(ValidationError):
        payslip.save()
    with pytest.raises(ValidationError):
        payslip.delete()
    cycle.note = "x"
    with pytest.raises(ValidationError):
        cycle.save()


def test_district_cycle_leaves_out_workers_of_the_city_cycle(city, start):
    district = Worker.objects.first().community.street.district
    city_cycle = start(year=2026, month=4, actor=city["maker"])

    district_cycle = start(year=2026, month=4, district=district, actor=city["maker"])

    assert district_cycle.payslips.count() == 0
    assert "未纳入本周期" in district_cycle.excluded_note
    assert (
        city_cycle.payslips.count()
        == Worker.objects.filter(joined_on__lte=date(2026, 4, 30)).count()
    )


def test_cumulative_tax_carries_from_month_to_month(city, start):
    maker = city["maker"]
    start(year=2026, month=1, actor=maker)
    start(year=2026, month=2, actor=maker)

    worker_id = Payslip.objects.filter(year=2026, month=1).values_list(
        "worker_id", flat=True
    )[0]
    january = Payslip.objects.get(worker_id=worker_id, year=2026, month=1)
    february = Payslip.objects.get(worker_id=worker_id, year=2026, month=2)
    iit = next(line for line in february.pay_lines() if line.code == "IIT")
    assert iit.params["previously_withheld"] == january.tax_ytd["tax_withheld"]
    assert Decimal(february.tax_ytd["income"]) == january.gross + february.gross


def test_only_finance_runs_payroll(city, start):
    with pytest.raises(PermissionDenied):
        start(year=2026, month=3, actor=UserFactory(role=Role.CITY_STAFF))


def test_cycle_pages_outputs_and_bank_file_total(city, start, client):
    from core.models import User

    maker = User.objects.get(username="finance")
    checker = User.objects.get(username="finance2")
    cycle = start(year=2026, month=3, actor=maker)
    client.force_login(maker)

    detail = client.get(f"/payroll/cycles/{cycle.pk}/")
    assert detail.status_code == 200
    assert "需由另一名财务人员审核" in detail.content.decode()
    assert client.get(f"/payroll/cycles/{cycle.pk}/register.xlsx").status_code == 200
    assert client.get(f"/payroll/cycles/{cycle.pk}/bank.xlsx").status_code == 403

    client.force_login(checker)
    client.post(f"/payroll/cycles/{cycle.pk}/approve/")
    response = client.get(f"/payroll/cycles/{cycle.pk}/bank.xlsx")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("账号", "姓名", "金额", "身份证号", "用途")
    amounts = [Decimal(str(row[2])) for row in rows[1:-1]]
    control = Decimal(str(rows[-1][2]))
    assert (
        control == sum(amounts) == sum(p.net for p in cycle.payslips.all() if p.net > 0)
    )
    assert rows[-1][1] == f"合计：{len(amounts)} 笔"
    # Account and ID numbers stay text: no 6.22E+18 in Excel.
    first = sheet.cell(2, 1)
    assert first.data_type == "s"
    assert first.number_format == "@"
    assert sheet.cell(2, 4).value.isdigit() or sheet.cell(2, 4).value[-1] == "X"


def test_explain_pay_shows_the_stored_payslip(city, start):
    import json
    from io import StringIO

    from core.models import User

    cycle = start(year=2026, month=3, actor=User.objects.get(username="finance"))
    payslip = cycle.payslips.first()
    out = StringIO()

    call_command("explain_pay", str(payslip.worker_id), "2026-03", "--json", stdout=out)

    data = json.loads(out.getvalue())
    assert data["gross"] == str(payslip.gross)
    assert data["net"] == str(payslip.net)
    codes = [line["code"] for line in data["lines"]]
    assert "IIT" in codes
    assert "SI_PENSION" in codes
    iit = next(line for line in data["lines"] if line["code"] == "IIT")
    assert "累计应纳税所得额" in iit["derivation"]


def test_secretary_sees_her_communitys_part_and_only_her_own_payslip(
    city, start, client
):
    from core.models import User

    cycle = start(year=2026, month=3, actor=User.objects.get(username="finance"))
    secretary = User.objects.get(username="secretary")
    client.force_login(secretary)

    detail = client.get(f"/payroll/cycles/{cycle.pk}/")
    assert detail.status_code == 200
    assert detail.context["whole"] is False
    others = cycle.payslips.exclude(community=secretary.community).first()
    assert client.get(f"/payroll/payslips/{others.pk}/").status_code == 404
    colleague = (
        cycle.payslips.filter(community=secretary.community)
        .exclude(worker_id=secretary.worker_id)
        .first()
    )
    assert client.get(f"/payroll/payslips/{colleague.pk}/").status_code == 403
    if secretary.worker_id:
        own = cycle.payslips.get(worker_id=secretary.worker_id)
        assert client.get(f"/payroll/payslips/{own.pk}/").status_code == 200


def _lock(cycle, maker, checker):
    payroll_cycle_approve(cycle=cycle, actor=checker)
    payroll_cycle_lock(cycle=cycle, actor=checker)


def test_a_change_to_a_locked_month_is_paid_once_in_the_next_cycle(city, start):
    from ratings.services import annual_grade_record

    maker, checker = city["maker"], city["checker"]
    march = start(year=2026, month=3, actor=maker)
    _lock(march, maker, checker)
    worker = (
        Worker.objects.filter(joined_on__lte=date(2026, 1, 1)).order_by("pk").first()
    )
    paid = {
        line.code: line.amount for line in march.payslips.get(worker=worker).pay_lines()
    }

    # last year's grade entered late: 优秀 raises March's performance pay
    annual_grade_record(
        actor=UserFactory(role=Role.CITY_STAFF),
        worker=worker,
        year=2025,
        grade="excellent",
    )
    april = start(year=2026, month=4, actor=maker)

    payslip = april.payslips.get(worker=worker)
    adjustments = [line for line in payslip.pay_lines() if line.code == "adjustment"]
    assert len(adjustments) == 1
    line = adjustments[0]
    assert line.params["period"] == "2026-03"
    assert line.params["item"] == "performance"
    assert Decimal(line.params["paid"]) == paid["performance"]
    assert line.amount == Decimal(line.params["recomputed"]) - paid["performance"]
    assert line.amount > 0
    assert (
        march.payslips.get(worker=worker).lines
        == march.payslips.get(worker=worker).lines
    )

    _lock(april, maker, checker)
    may = start(year=2026, month=5, actor=maker)
    assert not [
        line
        for line in may.payslips.get(worker=worker).pay_lines()
        if line.code == "adjustment"
    ]


def test_unchanged_locked_months_bring_no_adjustments(city, start):
    maker, checker = city["maker"], city["checker"]
    _lock(start(year=2026, month=3, actor=maker), maker, checker)

    april = start(year=2026, month=4, actor=maker)

    codes = {line.code for p in april.payslips.all() for line in p.pay_lines()}
    assert "adjustment" not in codes


def test_bases_are_proposed_from_last_years_full_months_and_kept_when_edited(
    city, start
):
    from payroll.cycles.bases import contribution_base_propose
    from payroll.models import ContributionBase

    maker = city["maker"]
    for month in (1, 2, 3):
        start(year=2026, month=month, actor=maker)
    worker = (
        Worker.objects.filter(joined_on__lte=date(2026, 1, 1)).order_by("pk").first()
    )
    grosses = [p.gross for p in Payslip.objects.filter(worker=worker, year=2026)]

    created = contribution_base_propose(year=2027)

    base = ContributionBase.objects.get(worker=worker, starts_on=date(2027, 7, 1))
    average = (sum(grosses) / len(grosses)).quantize(Decimal("0.01"))
    assert base.social_insurance_base == min(
        max(average, Decimal("4879.00")), Decimal("24396.00")
    )
    assert base.source == "proposed"
    assert created == ContributionBase.objects.count()
    base.social_insurance_base = Decimal("9999.00")
    base.source = "manual"
    base.save()
    assert contribution_base_propose(year=2027) == 0
    base.refresh_from_db()
    assert base.social_insurance_base == Decimal("9999.00")


def test_yearly_tax_summary_sums_the_months(city, start, client):
    from core.models import User

    maker = User.objects.get(username="finance")
    for month in (1, 2):
        start(year=2026, month=month, actor=maker)
    client.force_login(maker)

    response = client.get("/payroll/tax-summary/", {"year": 2026})

    rows = response.context["page"].object_list
    worker = (
        Worker.objects.filter(joined_on__lte=date(2026, 1, 1)).order_by("pk").first()
    )
    row = next(r for r in rows if r["worker"] == worker)
    payslips = Payslip.objects.filter(worker=worker, year=2026)
    assert row["months_paid"] == 2
    assert row["income"] == sum(p.gross for p in payslips)
    assert row["tax_withheld"] == sum(p.income_tax for p in payslips)
    assert (
        client.get(
            "/payroll/tax-summary/", {"year": 2026, "format": "xlsx"}
        ).status_code
        == 200
    )


def test_locked_cycle_refuses_changes_in_the_admin(city, start, client):
    from core.models import User

    maker, checker = city["maker"], city["checker"]
    cycle = start(year=2026, month=3, actor=maker)
    _lock(cycle, maker, checker)
    payslip = cycle.payslips.first()
    admin = User.objects.get(username="admin")
    client.force_login(admin)

    change = client.post(
        f"/admin/payroll/payslip/{payslip.pk}/change/", {"net": "1.00"}
    )
    delete = client.post(
        f"/admin/payroll/payrollcycle/{cycle.pk}/delete/", {"post": "yes"}
    )
    view = client.get(f"/admin/payroll/payslip/{payslip.pk}/change/")

    assert change.status_code == 403
    assert delete.status_code == 403
    assert view.status_code == 200  # read-only view
    payslip.refresh_from_db()
    cycle.refresh_from_db()
    assert payslip.net != Decimal("1.00")
    assert cycle.status == "locked"


def test_finance_home_shows_what_waits(city, start, client):
    from core.models import User

    start(year=2026, month=3, actor=city["maker"])
    client.force_login(User.objects.get(username="finance2"))

    page = client.get("/").content.decode()

    assert "工资周期" in page
    assert "待我审核" in page


def test_a_worker_who_moves_community_keeps_her_year_to_date(city, start):
    from core.models import Community
    from core.services import worker_save

    maker = city["maker"]
    start(year=2026, month=1, actor=maker)
    worker = (
        Worker.objects.filter(joined_on__lte=date(2026, 1, 1)).order_by("pk").first()
    )
    january = Payslip.objects.get(worker=worker, year=2026, month=1)
    worker.community = (
        Community.objects.exclude(pk=worker.community_id).order_by("pk").last()
    )
    worker_save(actor=None, worker=worker)

    start(year=2026, month=2, actor=maker)

    february = Payslip.objects.get(worker=worker, year=2026, month=2)
    iit = next(line for line in february.pay_lines() if line.code == "IIT")
    assert iit.params["previously_withheld"] == january.tax_ytd["tax_withheld"]
    assert february.community_id == worker.community_id


def test_cycle_pages_switch_to_english(city, start, client):
    from django.conf import settings

    from core.models import User

    cycle = start(year=2026, month=3, actor=city["maker"])
    client.force_login(User.objects.get(username="finance2"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(f"/payroll/cycles/{cycle.pk}/").content.decode()
    payslip = client.get(
        f"/payroll/payslips/{cycle.payslips.first().pk}/"
    ).content.decode()

    assert "Payroll cycles" in page
    assert "Download register" in page
    assert "cumulative taxable income" in payslip
    assert "个人所得税" not in payslip


def test_totals_by_level_add_up_to_the_cycle(city, start, client):
    from core.models import User

    cycle = start(year=2026, month=3, actor=city["maker"])
    client.force_login(User.objects.get(username="finance"))

    for level in ("district", "street", "community"):
        groups = cycle_totals_by(cycle, level)
        assert sum(g["net"] for g in groups) == Decimal(cycle.totals["net"])
        assert sum(g["payslips"] for g in groups) == cycle.totals["payslips"]
        response = client.get(f"/payroll/cycles/{cycle.pk}/totals.xlsx", {"by": level})
        assert response.status_code == 200


def test_starting_a_cycle_freezes_every_table_it_reads(city, start):
    from payroll.cycles.fetch import tables_for

    cycle = start(year=2026, month=3, actor=city["maker"])
    rows = tables_for(cycle).dated_rows()
    assert {type(row).__name__ for row in rows} >= {
        "ScaleVersion",
        "ContributionRates",
        "TaxTable",
        "AnnuityPlanVersion",
    }
    for row in rows:
        row.refresh_from_db()
        assert row.used_at is not None, type(row).__name__
    first = [row.used_at for row in rows]
    again = start(year=2026, month=4, actor=city["maker"])
    assert again.status == PayrollCycle.Status.COMPUTED
    for row, used_at in zip(rows, first, strict=True):
        row.refresh_from_db()
        assert row.used_at == used_at


def test_month_inputs_of_many_months_equal_month_by_month(city):
    """The corrections read every locked month's inputs at once
    (``month_inputs_many``); they are those of ``month_inputs`` per month,
    after a post change, a level change and a star rating within the months."""
    from payroll.levels.selectors import month_inputs, month_inputs_many
    from payroll.levels.services import worker_post_change
    from ratings.services import star_rating_record

    staff = list(Worker.objects.filter(post__code="staff").order_by("pk")[:3])
    deputy = Post.objects.get(code="deputy")
    staff_user = UserFactory(role=Role.CITY_STAFF)
    with clock.frozen(date(2026, 3, 10)):
        worker_post_change(
            actor=staff_user, worker=staff[0], post=deputy, on=date(2026, 2, 15)
        )
        star_rating_record(
            actor=staff_user,
            worker=staff[1],
            rated_on=date(2026, 1, 20),
            stars=4,
            assessor="区",
        )
    ids = list(Worker.objects.values_list("pk", flat=True))
    months = [(2026, 1), (2026, 2), (2026, 3), (2025, 12)]

    many = month_inputs_many(dict.fromkeys(months, ids))

    for year, month in months:
        one = month_inputs(Worker.objects.filter(pk__in=ids), year, month)
        assert sorted(many[(year, month)], key=lambda i: i.worker_id) == sorted(
            one, key=lambda i: i.worker_id
        )
    assert any(
        i.post == "deputy" for i in many[(2026, 2)] if i.worker_id == staff[0].pk
    )


def test_month_inputs_many_clamps_a_post_dated_back_behind_a_later_step(city):
    """A change of post to 副职 (4–15) dated back before a step already
    recorded (an override of a staff member to level 2 on 1 March): in March
    the post is 副职 and the level is raised to its lowest, 4, in the cycle's
    inputs and in the corrections' alike."""
    from payroll.levels.selectors import month_inputs, month_inputs_many
    from payroll.models import LevelChange

    worker = Worker.objects.filter(post__code="staff").order_by("pk").first()
    staff_post = worker.post
    deputy = Post.objects.get(code="deputy")
    Worker.objects.filter(pk=worker.pk).update(level=2)
    LevelChange.objects.create(
        worker=worker, effective_on=date(2026, 3, 1), old_level=6, new_level=2,
        old_post=staff_post, post=staff_post, reason=LevelChange.Reason.OVERRIDE,
    )  # fmt: skip
    LevelChange.objects.create(
        worker=worker, effective_on=date(2026, 2, 10), old_level=6, new_level=6,
        old_post=staff_post, post=deputy, reason=LevelChange.Reason.CHANGE_OF_POST,
    )  # fmt: skip

    many = month_inputs_many({(2026, 3): [worker.pk]})[(2026, 3)]
    one = [
        i
        for i in month_inputs(Worker.objects.filter(pk=worker.pk), 2026, 3)
        if i.worker_id == worker.pk
    ]

    assert many == one
    assert many[0].post == "deputy"
    assert many[0].level == 4

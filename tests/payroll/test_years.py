"""A payroll run over years (DOMAIN A3-A11): each defect found by running the
demo city past its first year, with its numbers."""

from datetime import date
from decimal import Decimal

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from djmoney.money import Money

from core.imports import import_dataset
from core.models import Position, Role, Worker
from payroll.annuity.services.plans import annuity_plan_version_save
from payroll.annuity.services.postings import (
    annuity_member_leave,
    common_account,
)
from payroll.annuity.services.returns import annuity_return_credit
from payroll.cycles.corrections import correction_months
from payroll.cycles.resources import ContributionBaseResource, OpeningBalanceResource
from payroll.cycles.services import (
    payroll_cycle_approve,
    payroll_cycle_lock,
    payroll_cycle_recompute,
    payroll_cycle_start,
)
from payroll.explain.sentences import derivation
from payroll.levels.services import level_override
from payroll.models import (
    AnnuityAccount,
    AnnuityBase,
    AnnuityEntry,
    AnnuityLegalCaps,
    AnnuityMembership,
    AnnuityPlan,
    AnnuityPlanVersion,
    AnnuityReturn,
    ContributionBase,
    CorrectionPolicy,
    LeavingReason,
    OpeningBalance,
    PayrollCycle,
    Payslip,
    TaxBracket,
    TaxTable,
    YearEndBonus,
)
from payroll.rules import tax
from payroll.rules.floor import YEARLY_FLOOR_TOP_UP, yearly_floor
from payroll.rules.payslip import RECOVERY, RECOVERY_DEFERRED
from payroll.scales.selectors import scale_for, scale_version_in_force
from ratings.services import annual_grade_record, star_rating_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = PayrollCycle.Status
Part = AnnuityEntry.Part


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            cycle = payroll_cycle_start(**kwargs)
        cycle.refresh_from_db()
        return cycle

    return run


@pytest.fixture
def city():
    call_command(
        "seed_demo", "--communities", "4", "--workers-per-community", "5", "--seed", "3"
    )
    return {
        "maker": UserFactory(role=Role.FINANCE),
        "checker": UserFactory(role=Role.FINANCE),
        "plan": AnnuityPlan.objects.get(code="SECRETARY"),
    }


def _locked(city, start, year, month):
    cycle = start(year=year, month=month, actor=city["maker"])
    assert cycle.status == Status.COMPUTED, cycle.error
    payroll_cycle_approve(cycle=cycle, actor=city["checker"])
    return payroll_cycle_lock(cycle=cycle, actor=city["checker"])


def _lines(payslip) -> dict:
    lines: dict = {}
    for line in payslip.pay_lines():
        lines.setdefault(line.code, []).append(line)
    return lines


def _members(year, month):
    first = date(year, month, 1)
    return sorted(
        AnnuityMembership.objects.filter(started_on__lte=first, is_excluded=False)
        .exclude(ended_on__lt=first)
        .values_list("worker_id", flat=True)
    )


def _staff_worker():
    return (
        Worker.objects.filter(
            joined_on__lte=date(2026, 1, 1), left_on__isnull=True, post__code="staff"
        )
        .exclude(positions__position=Position.SECRETARY)
        .order_by("pk")
        .first()
    )


# --- the annuity caps are yearly (A8) ---------------------------------------------


def _bases(city, year, amount):
    for worker_id in _members(year, 1):
        AnnuityBase.objects.update_or_create(
            plan=city["plan"],
            worker_id=worker_id,
            year=year,
            defaults={"base": Decimal(amount), "source": AnnuityBase.Source.MANUAL},
        )


def test_second_january_computes_with_a_base_ahead_of_januarys_pay(city, start):
    """Bases of 25,000 (last year's pay with a large December top-up) make
    January's employer part 2,000 a member against about 9,600 of pay: far
    above 8% of the month, within 8% of the year."""
    _bases(city, 2027, "25000.00")

    cycle = start(year=2027, month=1, actor=city["maker"])

    assert cycle.status == Status.COMPUTED, cycle.error
    payslip = cycle.payslips.get(worker_id=_members(2027, 1)[0])
    employer = _lines(payslip)["ANNUITY_EMPLOYER"][0].amount
    assert employer == Decimal("2000.00")
    assert employer > payslip.gross * Decimal("0.08")


def test_a_year_that_must_break_the_cap_stops_the_cycle_with_figures(city, start):
    """The same bases in November: 2,000 of contributions cannot fit in 8% of
    the pay of November and December, so the cycle stops before posting."""
    _bases(city, 2026, "25000.00")

    cycle = start(year=2026, month=11, actor=city["maker"])

    assert cycle.status == Status.FAILED
    assert "按计划年度测算（截至 2026-11）" in cycle.error
    assert "单位缴费合计" in cycle.error
    assert "8%" in cycle.error
    assert not AnnuityEntry.objects.exists()


def test_a_plan_version_cannot_raise_the_legal_caps(city):
    version = AnnuityPlanVersion(
        plan=city["plan"],
        effective_on=date(2027, 1, 1),
        employer_rate=Decimal("0.09"),
        member_rate=Decimal("0.03"),
        employer_cap_rate=Decimal("0.10"),
        total_cap_rate=Decimal("0.12"),
    )
    with pytest.raises(ValidationError) as refused:
        annuity_plan_version_save(version=version, steps=[(8, Decimal("1"))])
    text = " ".join(refused.value.messages)
    assert "单位缴费比例 9% 超过法定上限 8%" in text
    assert "方案不能提高法定上限" in text
    assert not AnnuityPlanVersion.objects.filter(effective_on=date(2027, 1, 1)).exists()


def test_lower_legal_caps_refuse_a_plan_that_was_allowed(city):
    AnnuityLegalCaps.objects.create(
        effective_on=date(2027, 1, 1),
        employer_rate=Decimal("0.06"),
        total_rate=Decimal("0.12"),
        max_credit_ratio=Decimal("5"),
    )
    version = AnnuityPlanVersion(
        plan=city["plan"],
        effective_on=date(2027, 1, 1),
        employer_rate=Decimal("0.08"),
        member_rate=Decimal("0.04"),
    )
    with pytest.raises(ValidationError, match="法定上限 6%"):
        annuity_plan_version_save(version=version, steps=[(8, Decimal("1"))])


def test_forfeiture_takes_contributions_posted_after_the_leaving(city, start):
    """A member leaves on 20 April while April is not yet locked: April's
    employer part, posted at its lock, goes to the common account too (under
    a year of membership nothing is vested)."""
    worker_id = _members(2026, 3)[0]
    # appointed in January: a member since February, nothing vested yet
    AnnuityMembership.objects.filter(worker_id=worker_id).update(
        started_on=date(2026, 2, 1), is_manual=True
    )
    _locked(city, start, 2026, 3)
    membership = AnnuityMembership.objects.get(worker_id=worker_id)
    annuity_member_leave(
        membership=membership,
        left_on=date(2026, 4, 20),
        reason=LeavingReason.RESIGNED,
        actor=None,
    )
    account = AnnuityAccount.objects.get(worker_id=worker_id)
    common = common_account(city["plan"])
    forfeited_at_leaving = sum(
        e.amount for e in AnnuityEntry.objects.filter(account=common)
    )

    april = _locked(city, start, 2026, 4)

    posted = AnnuityEntry.objects.get(
        account=account, cycle=april, part=Part.EMPLOYER, kind="contribution"
    )
    employer_left = sum(
        e.amount
        for e in AnnuityEntry.objects.filter(account=account, part=Part.EMPLOYER)
    )
    assert employer_left == Decimal("0.00")
    assert (
        sum(e.amount for e in AnnuityEntry.objects.filter(account=common))
        == forfeited_at_leaving + posted.amount
    )


def test_returns_never_credit_the_common_account_a_negative_amount(city):
    plan = city["plan"]
    for index in range(3):
        worker_id = _members(2026, 1)[index]
        account = AnnuityAccount.objects.create(
            plan=plan, worker_id=worker_id, opened_on=date(2026, 1, 1)
        )
        AnnuityEntry.objects.create(
            account=account,
            part=Part.EMPLOYER,
            kind="contribution",
            booked_on=date(2026, 1, 31),
            amount=Decimal("0.01"),
        )
    entry = AnnuityReturn.objects.create(plan=plan, year=2026, amount=Decimal("0.02"))

    assert annuity_return_credit(annuity_return=entry) == Decimal("0.02")

    credited = AnnuityEntry.objects.filter(annuity_return=entry)
    assert sum(e.amount for e in credited) == Decimal("0.02")
    assert all(e.amount >= 0 for e in credited)
    assert credited.get(account=common_account(plan)).amount == Decimal("0.02")


# --- grades, ratings and corrections (A4, A11) ----------------------------------


def test_a_late_fail_grade_changes_no_month_of_its_own_year(city, start):
    worker = _staff_worker()
    march = _locked(city, start, 2026, 3)
    paid = _lines(march.payslips.get(worker=worker))["performance"][0].amount
    assert paid > 0

    annual_grade_record(
        actor=UserFactory(role=Role.CITY_STAFF), worker=worker, year=2026, grade="fail"
    )
    april = start(year=2026, month=4, actor=city["maker"])
    january = start(year=2027, month=1, actor=city["maker"])

    april_lines = _lines(april.payslips.get(worker=worker))
    assert "adjustment" not in april_lines
    assert april_lines["performance"][0].amount == paid
    performance = _lines(january.payslips.get(worker=worker))["performance"][0]
    assert performance.amount == Decimal("0.00")
    assert performance.params["grade_year"] == "2026"


def test_a_rating_dated_mid_november_pays_from_december(city, start):
    worker = _staff_worker()
    star_rating_record(
        actor=UserFactory(role=Role.CITY_STAFF),
        worker=worker,
        rated_on=date(2026, 11, 15),
        stars=5,
    )
    november = start(year=2026, month=11, actor=city["maker"])
    december = start(year=2026, month=12, actor=city["maker"])

    november_star = _lines(november.payslips.get(worker=worker)).get("star_allowance")
    assert november_star is None or november_star[0].params["stars"] != "5"
    december_star = _lines(december.payslips.get(worker=worker))["star_allowance"][0]
    assert december_star.params["stars"] == "5"
    assert december_star.amount == Decimal("600.00")


def test_a_recovery_larger_than_a_months_net_is_carried_never_below_the_floor(
    city, start
):
    """A level cut back to January, recorded after three locked months,
    recovers 3 × the difference: more than April's net."""
    worker = (
        Worker.objects.filter(joined_on__lte=date(2026, 1, 1), left_on__isnull=True)
        .order_by("-level", "pk")
        .first()
    )
    for month in (1, 2, 3):
        _locked(city, start, 2026, month)
    level_override(
        actor=UserFactory(role=Role.CITY_STAFF),
        worker=worker,
        level=worker.post.lowest_level,
        on=date(2026, 1, 1),
        reason="考核复核降级",
    )

    april = _locked(city, start, 2026, 4)
    payslip = april.payslips.get(worker=worker)
    lines = _lines(payslip)
    recovery = -sum(line.amount for line in lines["adjustment"])
    deferred = lines[RECOVERY_DEFERRED][0].amount
    scale = scale_for(scale_version_in_force(date(2026, 4, 1)))

    assert recovery > payslip.net + deferred
    assert payslip.gross >= scale.minimum_wage
    assert payslip.net >= 0
    assert Decimal(payslip.tax_ytd["to_recover"]) == deferred
    assert lines[RECOVERY_DEFERRED][0].params["still_to_recover"] == str(deferred)
    sentence = derivation(lines[RECOVERY_DEFERRED][0])
    assert f"尚待补扣 {deferred:,.2f}" in sentence

    may = start(year=2026, month=5, actor=city["maker"])
    following = may.payslips.get(worker=worker)
    carried = _lines(following)[RECOVERY][0]
    assert carried.amount == -deferred
    assert following.gross >= scale.minimum_wage
    assert following.net >= 0
    assert Decimal(following.tax_ytd["to_recover"]) < deferred


def test_corrections_reach_back_by_the_dated_look_back():
    CorrectionPolicy.objects.create(
        effective_on=date(2027, 6, 1), previous_year_months=3
    )
    assert correction_months(2027, 1) == 12
    assert correction_months(2027, 5) == 16
    assert correction_months(2027, 11) == 13


# --- the yearly floor (A5) ----------------------------------------------------------


def test_a_one_day_worker_gets_the_floor_of_one_day(city, start):
    """Joined on 31 December: the floor is 105,600 × 1 / 365 = 289.32, which
    one day's pay and the month's employer contributions already meet (the old
    rule gave a 6,912.83 top-up against a whole month's floor)."""
    worker = _staff_worker()
    worker.pk = None
    worker.id_number = "110101199001011237"
    worker.joined_on = worker.started_on = date(2026, 12, 31)
    worker.save()

    december = start(year=2026, month=12, actor=city["maker"])

    payslip = december.payslips.get(worker=worker)
    scale = scale_for(scale_version_in_force(date(2026, 12, 1)))
    floor = yearly_floor("staff", scale, days=1, days_in_year=365)
    assert floor == Decimal("289.32")
    assert YEARLY_FLOOR_TOP_UP not in _lines(payslip)
    assert Decimal(payslip.tax_ytd["floor_total"]) >= floor


def test_a_weak_year_is_topped_up_to_the_prorated_floor_and_says_how(city, start):
    worker = _staff_worker()
    opening = OpeningBalance.objects.create(
        worker=worker,
        year=2026,
        as_of_month=11,
        gross_income=Decimal("10000.00"),
        months_employed=11,
        floor_total=Decimal("12000.00"),
    )

    december = start(year=2026, month=12, actor=city["maker"])

    top_up = _lines(december.payslips.get(worker=worker))[YEARLY_FLOOR_TOP_UP][0]
    assert top_up.params["days"] == "365"
    assert top_up.params["share"] == "0.8000"
    assert top_up.params["floor"] == "105600.00"
    assert top_up.params["opening"] == str(opening.floor_total.amount)
    assert top_up.amount == Decimal("105600.00") - Decimal(top_up.params["year_total"])


def test_a_leaver_is_checked_in_the_leaving_month_over_the_days_employed(city, start):
    from core.services import worker_save

    worker = _staff_worker()
    worker.left_on = date(2026, 3, 10)
    worker_save(actor=None, worker=worker)

    march = start(year=2026, month=3, actor=city["maker"])

    top_up = _lines(march.payslips.get(worker=worker))[YEARLY_FLOOR_TOP_UP][0]
    assert top_up.params["days"] == "69"  # 1 January to 10 March
    assert top_up.params["floor"] == "19962.74"  # 105,600 × 69 / 365


# --- bases within the limits (A7) --------------------------------------------------


def test_bases_out_of_the_limits_are_refused_with_the_limits(city):
    worker = _staff_worker()
    dataset = tablib.Dataset(
        [worker.id_number, "2026-07-01", "2027-06-30", "3000", "40000", ""],
        headers=[
            "身份证号",
            "起始日期",
            "截止日期",
            "社保缴费基数",
            "公积金缴存基数",
            "来源",
        ],
    )
    report = import_dataset(ContributionBaseResource(), dataset, dry_run=False)

    assert not report.saved
    errors = " ".join(report.error_rows[0].errors)
    assert "社保缴费基数 3000" in errors
    assert "[4879.00, 24396.00]" in errors
    assert "公积金缴存基数 40000" in errors
    assert "[2490.00, 33000.00]" in errors
    assert not ContributionBase.objects.filter(worker=worker).exists()


def test_a_base_typed_in_the_admin_out_of_the_limits_is_refused(city):
    from payroll.admin.cycles import ContributionBaseForm

    worker = _staff_worker()
    form = ContributionBaseForm(
        data={
            "worker": worker.pk,
            "starts_on": "2026-07-01",
            "ends_on": "2027-06-30",
            "social_insurance_base": "30000",
            "housing_fund_base": "6000",
            "source": ContributionBase.Source.MANUAL,
            "params": "{}",
        }
    )
    assert not form.is_valid()
    assert "[4879.00, 24396.00]" in form.errors["social_insurance_base"][0]
    assert "housing_fund_base" not in form.errors


def test_every_cycle_applies_the_limits_in_force_for_its_month(city, start):
    worker = _staff_worker()
    ContributionBase.objects.create(
        worker=worker,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        social_insurance_base=Decimal("3000.00"),
        housing_fund_base=Decimal("40000.00"),
        source=ContributionBase.Source.MANUAL,
    )

    cycle = start(year=2026, month=3, actor=city["maker"])

    lines = _lines(cycle.payslips.get(worker=worker))
    assert lines["SI_PENSION"][0].params["base"] == "4879.00"
    assert lines["HOUSING_FUND"][0].params["base"] == "33000.00"


# --- income tax (A7) ----------------------------------------------------------------


def test_a_bonus_after_the_regime_ends_is_merged_into_cumulative_tax(city, start):
    worker = _staff_worker()
    assert TaxTable.objects.get(kind="monthly").bonus_separate_until == date(
        2027, 12, 31
    )
    YearEndBonus.objects.create(
        worker=worker, year=2028, month=1, amount=Decimal("36000")
    )

    cycle = start(year=2028, month=1, actor=city["maker"])

    payslip = cycle.payslips.get(worker=worker)
    lines = _lines(payslip)
    assert "IIT_BONUS" not in lines
    assert lines["bonus"][0].params["merged"] == "True"
    assert Decimal(payslip.tax_ytd["income"]) == payslip.gross


def test_a_recompute_after_a_new_tax_table_uses_it_and_marks_it(city, start):
    march = start(year=2026, month=3, actor=city["maker"])
    old = TaxTable.objects.get(kind="cumulative")
    new = TaxTable.objects.create(
        kind="cumulative",
        effective_on=date(2026, 3, 1),
        monthly_standard_deduction=Decimal("5000.00"),
    )
    TaxBracket.objects.create(
        table=new, upper=None, rate=Decimal("0.20"), quick_deduction=Decimal("0")
    )

    with_new = payroll_cycle_recompute(cycle=march, actor=city["maker"])
    from payroll.cycles.store import cycle_chunk_compute

    for index in range(with_new.chunks_total):
        cycle_chunk_compute(cycle_id=march.pk, index=index)

    new.refresh_from_db()
    assert new.used_at is not None
    iit = [
        line
        for payslip in Payslip.objects.filter(cycle=march)
        for line in payslip.pay_lines()
        if line.code == tax.IIT
    ]
    assert iit
    assert {line.version for line in iit} == {"cumulative:2026-03-01"}
    assert old.used_at is not None


def test_a_mid_year_start_withholds_from_the_opening_figures(city, start):
    """Opening figures as of October: November withholds what the year so
    far calls for, not one month's tax on eleven months' deductions."""
    worker = _staff_worker()
    opening = OpeningBalance.objects.create(
        worker=worker,
        year=2026,
        as_of_month=10,
        gross_income=Decimal("90000.00"),
        special_deductions=Decimal("15000.00"),
        tax_withheld=Decimal("600.00"),
        months_employed=10,
        floor_total=Decimal("120000.00"),
    )

    november = start(year=2026, month=11, actor=city["maker"])
    payslip = november.payslips.get(worker=worker)
    iit = _lines(payslip)["IIT"][0]

    assert iit.params["months_employed"] == "11"
    assert iit.params["cumulative_income"] == str(
        opening.gross_income.amount + payslip.gross
    )
    assert iit.params["previously_withheld"] == "600.00"
    taxable = Decimal(iit.params["taxable_income"])
    assert taxable == (
        opening.gross_income.amount
        + payslip.gross
        - Decimal("55000.00")
        - Decimal(iit.params["cumulative_special_deductions"])
    )
    assert iit.amount == Decimal(iit.params["cumulative_tax"]) - Decimal("600.00")
    assert iit.amount > Decimal("100.00")


def test_opening_figures_import_all_or_nothing_with_messages(city):
    worker, other = Worker.objects.order_by("pk")[:2]
    headers = [
        "身份证号", "年度", "截至月份", "累计收入", "累计免税收入", "累计专项扣除",
        "累计专项附加扣除", "累计其他扣除", "累计已预扣税额", "本单位任职受雇月份数",
        "年度最低薪酬口径累计",
    ]  # fmt: skip
    good = [
        worker.id_number,
        2026,
        10,
        "90000",
        "0",
        "15000",
        "0",
        "0",
        "600",
        10,
        "120000",
    ]
    bad = [
        other.id_number,
        2026,
        10,
        "90000",
        "0",
        "15000",
        "0",
        "0",
        "600",
        11,
        "120000",
    ]
    report = import_dataset(
        OpeningBalanceResource(),
        tablib.Dataset(good, bad, headers=headers),
        dry_run=False,
    )
    assert not report.saved
    assert "任职受雇月份数不能超过截至月份" in " ".join(report.error_rows[0].errors)
    assert not OpeningBalance.objects.exists()

    report = import_dataset(
        OpeningBalanceResource(), tablib.Dataset(good, headers=headers), dry_run=False
    )
    assert report.saved
    assert OpeningBalance.objects.get(worker=worker).tax_withheld == Money(
        Decimal("600.00"), "CNY"
    )


def test_worker_page_shows_opening_figures(city, client):
    worker = _staff_worker()
    OpeningBalance.objects.create(
        worker=worker,
        year=2026,
        as_of_month=10,
        gross_income=Decimal("90000.00"),
        tax_withheld=Decimal("600.00"),
        months_employed=10,
        floor_total=Decimal("120000.00"),
    )
    client.force_login(UserFactory(role=Role.FINANCE))
    page = client.get(f"/workers/{worker.pk}/").content.decode()
    assert 'id="opening-balances"' in page
    assert "90,000.00" in page
    assert "2026-10" in page


def test_finance_imports_opening_figures_through_the_preview(city, client):
    """The page of the roster's flow: template, upload, preview, confirm."""
    worker = _staff_worker()
    client.force_login(city["maker"])
    template = client.get("/payroll/data/openings/export/")
    assert template.status_code == 200
    dataset = tablib.Dataset(
        [worker.id_number, 2026, 10, "90000", "0", "15000", "0", "0", "600", 10,
         "120000"],
        headers=[
            "身份证号", "年度", "截至月份", "累计收入", "累计免税收入", "累计专项扣除",
            "累计专项附加扣除", "累计其他扣除", "累计已预扣税额",
            "本单位任职受雇月份数", "年度最低薪酬口径累计",
        ],
    )  # fmt: skip
    upload = SimpleUploadedFile("期初.xlsx", dataset.export("xlsx"))
    preview = client.post("/payroll/data/openings/import/", {"file": upload})
    assert preview.status_code == 200
    assert not OpeningBalance.objects.exists()
    token = preview.context["token"]
    done = client.post(
        "/payroll/data/openings/import/", {"action": "confirm", "token": token}
    )
    assert done.status_code == 302
    assert OpeningBalance.objects.get(worker=worker).months_employed == 10
    assert client.get("/payroll/data/openings/import/").status_code == 200

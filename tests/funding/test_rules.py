"""Rules of the service fund, without a database (DOMAIN A9)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from funding import rules

D = Decimal
POLICY = rules.Policy(
    minimum_allocation=D("200000.00"),
    district_approval_threshold=D("50000.00"),
    notice_days=7,
    carry_over_allowed=True,
    max_receipt_bytes=1024,
    allowed_receipt_types=("pdf", "jpg", "png"),
)
USES = (
    rules.ForbiddenUse("office", "办公开支", ("办公经费", "办公用品", "办公开支")),
    rules.ForbiddenUse("pay", "人员工资津补贴", ("工资", "津贴", "补贴", "奖金")),
    rules.ForbiddenUse("premises", "办公场所建设改造", ("办公用房", "装修")),
    rules.ForbiddenUse("property", "物业承担费用", ("物业费", "物业公司")),
    rules.ForbiddenUse("loan", "偿还借贷款", ("还贷", "借款", "贷款")),
)


@pytest.mark.parametrize(
    ("allocation", "expected"),
    [("200000.00", True), ("250000.00", True), ("199999.99", False), ("0", False)],
)
def test_allocation_floor_of_200000(allocation, expected):
    assert rules.allocation_meets_floor(D(allocation), D("200000")) is expected


def test_sources_must_add_up_to_the_allocation():
    shares = [D("100000"), D("60000"), D("40000")]
    assert rules.sources_match(D("200000.00"), shares)
    assert not rules.sources_match(D("200000.00"), [D("100000"), D("60000")])


@pytest.mark.parametrize(
    ("committed", "spent", "available", "overspent"),
    [
        ("150000", "30000", "30000.00", "0.00"),
        ("150000", "70000", "0.00", "10000.00"),
        ("0", "0", "210000.00", "0.00"),
    ],
)
def test_available_is_allocation_plus_carried_in_less_committed_and_spent(
    committed, spent, available, overspent
):
    figures = rules.fund_figures(
        allocation=D("200000"),
        carried_in=D("10000"),
        committed=D(committed),
        spent=D(spent),
    )
    assert figures.available == D(available)
    assert figures.overspent == D(overspent)


money = st.decimals(min_value=0, max_value=10**7, places=2)


@given(allocation=money, carried_in=money, committed=money, spent=money)
def test_available_never_below_zero(allocation, carried_in, committed, spent):
    figures = rules.fund_figures(
        allocation=allocation, carried_in=carried_in, committed=committed, spent=spent
    )
    assert figures.available >= 0
    assert figures.available - figures.overspent == (
        allocation + carried_in - committed - spent
    )


def test_outstanding_commitment_never_negative():
    assert rules.outstanding_commitment(D("30000"), D("12000")) == D("18000.00")
    assert rules.outstanding_commitment(D("30000"), D("35000")) == D("0.00")


def test_approval_refused_when_it_would_overspend():
    assert rules.approval_fits(D("30000"), D("30000"))
    assert not rules.approval_fits(D("30000"), D("30000.01"))


def test_expense_overspend_draws_on_reservation_first():
    assert rules.expense_overspend(
        available=D("1000"), project_outstanding=D("5000"), amount=D("8000")
    ) == D("2000.00")
    assert rules.expense_overspend(
        available=D("0"), project_outstanding=D("5000"), amount=D("5000")
    ) == D("0.00")


@pytest.mark.parametrize(
    ("cost", "expected"),
    [("50000.00", False), ("50000.01", True), ("12000", False), ("80000", True)],
)
def test_district_approval_above_threshold(cost, expected):
    assert rules.needs_district_approval(D(cost), D("50000")) is expected


def test_notice_period_of_seven_days_ends_on_the_seventh_day():
    assert rules.notice_ends_on(date(2026, 3, 2), 7) == date(2026, 3, 8)
    assert not rules.notice_is_over(date(2026, 3, 2), 7, date(2026, 3, 8))
    assert rules.notice_is_over(date(2026, 3, 2), 7, date(2026, 3, 9))


@pytest.mark.parametrize(
    ("spent", "allowed", "expected"),
    [
        ("180000", True, "30000.00"),
        ("180000", False, "0.00"),
        ("230000", True, "0.00"),
    ],
)
def test_carry_over_at_closing(spent, allowed, expected):
    assert rules.carry_over(
        allocation=D("200000"), carried_in=D("10000"), spent=D(spent), allowed=allowed
    ) == D(expected)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("社区办公用房装修", ["premises"]),
        ("为工作人员发放节日补贴", ["pay"]),
        ("代缴小区物业费", ["property"]),
        ("偿还 社区 借款", ["loan"]),
        ("购买办公用品", ["office"]),
        ("重阳节为高龄老人送温暖", []),
    ],
)
def test_forbidden_uses_are_recognised(text, codes):
    found = rules.forbidden_uses_in([text], USES)
    assert [use.code for use, _keyword in found] == codes


@pytest.mark.parametrize(
    ("name", "head", "size", "problems"),
    [
        ("发票.pdf", b"%PDF-1.7", 100, []),
        ("photo.JPG", b"\xff\xd8\xff\xe0", 100, []),
        ("scan.png", b"\x89PNG\r\n\x1a\n", 100, []),
        ("macro.docx", b"PK", 100, ["type"]),
        ("evil.pdf", b"MZ\x90", 100, ["content"]),
        ("big.pdf", b"%PDF-1.7", 2048, ["size"]),
        ("empty.pdf", b"", 0, ["content", "empty"]),
        ("noextension", b"%PDF-", 10, ["type"]),
    ],
)
def test_receipt_type_content_and_size(name, head, size, problems):
    assert (
        rules.receipt_problems(filename=name, size=size, head=head, policy=POLICY)
        == problems
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../x.pdf", "x.pdf"),
        ("..\\..\\windows\\x.pdf", "x.pdf"),
        ("发票 1.pdf", "发票_1.pdf"),
        ("/etc/passwd", "passwd"),
        ("..", "file"),
        ("a;rm -rf $(x).pdf", "a_rm_-rf_x_.pdf"),
    ],
)
def test_sanitise_filename_strips_folders(name, expected):
    assert rules.sanitise_filename(name) == expected


# Budget control --------------------------------------------------------------


@pytest.mark.parametrize(
    ("spent", "amount", "short"),
    [
        ("33600", "9000", "600.00"),
        ("33600", "8400", "0"),
        ("0", "42000.01", "0.01"),
        ("42000", "0.01", "0.01"),
    ],
)
def test_expense_short_by_against_the_approved_amount(spent, amount, short):
    assert rules.expense_short_by(
        approved=D("42000"), spent=D(spent), amount=D(amount)
    ) == D(short)


cents = st.decimals(min_value=D("0"), max_value=D("1000000"), places=2, allow_nan=False)


@given(approved=cents, spent=cents, amount=cents)
def test_an_expense_fits_exactly_when_nothing_is_short(approved, spent, amount):
    short = rules.expense_short_by(approved=approved, spent=spent, amount=amount)
    assert short >= 0
    assert (short == 0) is (spent + amount <= approved)
    # recording what fits never leaves the project above its approved amount
    if short == 0:
        assert rules.project_over_approved(approved=approved, spent=spent + amount) == 0


def test_project_over_approved():
    assert rules.project_over_approved(approved=D("42000"), spent=D("51000")) == D(
        "9000.00"
    )
    assert rules.project_over_approved(approved=D("42000"), spent=D("40000")) == 0


@pytest.mark.parametrize(
    ("new", "fits"),
    [("47000", True), ("47000.01", False), ("30000", True), ("42000", True)],
)
def test_budget_change_draws_only_its_increase_on_the_fund(new, fits):
    assert (
        rules.budget_change_fits(available=D("5000"), previous=D("42000"), new=D(new))
        is fits
    )


@pytest.mark.parametrize(
    ("allowed", "expected"), [(True, "50000.00"), (False, "30000.00")]
)
def test_closing_balance_keeps_the_carried_commitment(allowed, expected):
    assert rules.closing_balance(
        allocation=D("200000"),
        carried_in=D("0"),
        spent=D("150000"),
        carried_commitment=D("30000"),
        allowed=allowed,
    ) == D(expected)


@given(
    allocation=cents,
    carried_in=cents,
    spent=cents,
    commitment=cents,
    allowed=st.booleans(),
)
def test_closing_balance_is_never_negative_nor_above_what_is_left(
    allocation, carried_in, spent, commitment, allowed
):
    balance = rules.closing_balance(
        allocation=allocation,
        carried_in=carried_in,
        spent=spent,
        carried_commitment=commitment,
        allowed=allowed,
    )
    assert 0 <= balance <= max(allocation + carried_in - spent, D("0"))

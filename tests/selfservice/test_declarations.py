"""Declarations of special additional deductions: a worker declares, payroll
staff review, and the next month's cumulative tax counts the approved amount."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.decimals import round_cents
from core.models import Role, User
from core.money import to_money
from payroll.declarations import services
from payroll.declarations.selectors import deduction_standard_for
from payroll.models import DeductionClaim, Payslip, TaxDeclaration
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _iit(payslip: Payslip):
    return next(line for line in payslip.pay_lines() if line.code == "IIT")


def _login_for(worker) -> User:
    return User.objects.create(
        username=f"own{worker.pk}", role=Role.WORKER, worker=worker
    )


def test_an_approved_declaration_lowers_the_next_months_tax_exactly(
    demo_city, pay_month, django_capture_on_commit_callbacks
):
    from payroll.cycles import services as cycles

    # given: January paid; the best-paid worker (her tax is in the 3% bracket)
    pay_month(2026, 1)
    january = Payslip.objects.filter(year=2026, month=1).order_by("-gross").first()
    worker = january.worker
    user = User.objects.filter(worker=worker).first() or _login_for(worker)
    assert _iit(january).amount > 0
    # February computed before the declaration is reviewed
    with django_capture_on_commit_callbacks(execute=True):
        february_cycle = cycles.payroll_cycle_start(
            year=2026, month=2, actor=demo_city["finance"]
        )
    before = _iit(Payslip.objects.get(worker=worker, year=2026, month=2))
    assert Decimal(before.params["rate"]) == Decimal("0.0300")

    # when: she declares her mortgage interest, finance approves, February is recomputed
    standard = deduction_standard_for("housing_loan_interest", "", 2026)
    claim = services.deduction_claim_submit(
        user=user, worker=worker, year=2026, standard=standard
    )
    services.deduction_claim_approve(claim=claim, actor=demo_city["finance2"])
    with django_capture_on_commit_callbacks(execute=True):
        cycles.payroll_cycle_recompute(cycle=february_cycle, actor=demo_city["finance"])

    # then: two months of 1,000.00 less taxable income at 3%
    after = _iit(Payslip.objects.get(worker=worker, year=2026, month=2))
    assert TaxDeclaration.objects.get(
        worker=worker, year=2026
    ).housing_loan_interest == to_money(Decimal("1000.00"))
    assert after.params["cumulative_special_additional_deductions"] == "2000.00"
    assert Decimal(after.params["taxable_income"]) == Decimal(
        before.params["taxable_income"]
    ) - Decimal("2000.00")
    assert before.amount - after.amount == round_cents(
        Decimal("2000.00") * Decimal("0.03")
    )
    assert before.amount - after.amount == Decimal("60.00")


def test_review_refuses_the_wrong_people_and_states(demo_city, worker_user):
    standard = deduction_standard_for("child_education", "", 2026)
    claim = services.deduction_claim_submit(
        user=worker_user,
        worker=worker_user.worker,
        year=2026,
        standard=standard,
        children=2,
        share=Decimal("0.5"),
        details={"name": "小明、小红"},
    )
    assert claim.monthly_amount == Decimal("2000.00")

    with pytest.raises(PermissionDenied):
        services.deduction_claim_approve(claim=claim, actor=worker_user)
    with pytest.raises(PermissionDenied):
        services.deduction_claim_approve(
            claim=claim, actor=User.objects.get(username="secretary")
        )
    with pytest.raises(ValidationError):
        services.deduction_claim_return(
            claim=claim, actor=demo_city["finance"], reason=" "
        )
    services.deduction_claim_return(
        claim=claim, actor=demo_city["finance"], reason="请补充子女证件号后四位"
    )
    with pytest.raises(ValidationError):
        services.deduction_claim_approve(claim=claim, actor=demo_city["finance"])
    assert not TaxDeclaration.objects.filter(worker=worker_user.worker).exists()


def test_the_administrator_does_not_approve_payroll_deductions(
    demo_city, worker_user, client
):
    """Separation of duties: a claim changes the tax withheld from pay, so
    it is finance's; the administrator (even a superuser) is refused."""
    claim = services.deduction_claim_submit(
        user=worker_user,
        worker=worker_user.worker,
        year=2026,
        standard=deduction_standard_for("elderly_support", "only_child", 2026),
    )
    admin = User.objects.get(username="admin")
    assert admin.role == Role.ADMIN

    with pytest.raises(PermissionDenied):
        services.deduction_claim_approve(claim=claim, actor=admin)
    with pytest.raises(PermissionDenied):
        services.deduction_claim_return(claim=claim, actor=admin, reason="不符")
    client.force_login(admin)
    response = client.post(
        reverse("payroll:declaration-review", args=[claim.pk, "approve"])
    )

    assert response.status_code == 403
    assert "只有财务人员可以审核" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == DeductionClaim.Status.SUBMITTED
    assert not TaxDeclaration.objects.filter(worker=worker_user.worker).exists()


def test_rent_and_mortgage_are_not_both_approved(demo_city, worker_user):
    loan = services.deduction_claim_submit(
        user=worker_user,
        worker=worker_user.worker,
        year=2026,
        standard=deduction_standard_for("housing_loan_interest", "", 2026),
    )
    rent = services.deduction_claim_submit(
        user=worker_user,
        worker=worker_user.worker,
        year=2026,
        standard=deduction_standard_for("housing_rent", "tier2", 2026),
    )
    services.deduction_claim_approve(claim=loan, actor=demo_city["finance"])

    with pytest.raises(ValidationError):
        services.deduction_claim_approve(claim=rent, actor=demo_city["finance"])
    rent.refresh_from_db()
    assert rent.status == DeductionClaim.Status.SUBMITTED


def test_a_sibling_cannot_claim_more_than_the_cap(demo_city, worker_user):
    standard = deduction_standard_for("elderly_support", "sibling", 2026)
    with pytest.raises(ValidationError):
        services.deduction_claim_submit(
            user=worker_user, worker=worker_user.worker, year=2026, standard=standard
        )
    claim = services.deduction_claim_submit(
        user=worker_user,
        worker=worker_user.worker,
        year=2026,
        standard=standard,
        share=Decimal("0.5"),
    )
    assert claim.monthly_amount == Decimal("1500.00")


def test_a_worker_declares_on_her_page_and_finance_reviews_on_theirs(
    demo_city, worker_user, client
):
    standard = deduction_standard_for("continuing_education", "degree", 2026)
    client.force_login(worker_user)
    response = client.post(
        reverse("selfservice:declaration-submit"),
        {
            "year": "2026",
            "standard": standard.pk,
            "children": "1",
            "share": "1",
            "school": "江南大学",
        },
    )
    assert response.status_code == 302
    claim = DeductionClaim.objects.get(worker=worker_user.worker)
    assert claim.details == {"school": "江南大学"}

    client.force_login(User.objects.get(username="finance"))
    page = client.get(reverse("payroll:declaration-review-list"))
    assert claim in page.context["page"].object_list
    client.post(reverse("payroll:declaration-review", args=[claim.pk, "approve"]))
    claim.refresh_from_db()
    assert claim.status == DeductionClaim.Status.APPROVED

    client.force_login(worker_user)
    mine = client.get(reverse("selfservice:declarations"))
    assert "已通过" in mine.content.decode()
    # staff of other kinds do not see the declarations
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    assert client.get(reverse("payroll:declaration-review-list")).status_code == 403


def test_she_withdraws_a_waiting_claim_and_reads_why_one_was_returned(
    demo_city, worker_user, client
):
    standard = deduction_standard_for("elderly_support", "only_child", 2026)
    waiting, returned = (
        services.deduction_claim_submit(
            user=worker_user, worker=worker_user.worker, year=2026, standard=standard
        )
        for _ in range(2)
    )
    services.deduction_claim_return(
        claim=returned, actor=demo_city["finance"], reason="请补充老人姓名"
    )
    client.force_login(worker_user)

    client.post(reverse("selfservice:declaration-withdraw", args=[waiting.pk]))
    page = client.get(reverse("selfservice:declarations")).content.decode()

    waiting.refresh_from_db()
    assert waiting.status == DeductionClaim.Status.WITHDRAWN
    assert "请补充老人姓名" in page
    assert (
        client.post(
            reverse("selfservice:declaration-withdraw", args=[returned.pk])
        ).status_code
        == 302
    )
    returned.refresh_from_db()
    assert returned.status == DeductionClaim.Status.RETURNED

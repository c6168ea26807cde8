"""django-money at the edge (core.money): the amounts people type are CNY
MoneyFields declared one way; rules, reports and payslips see Decimal."""

from decimal import Decimal

import djmoney.models.fields
import pytest
import tablib
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Sum
from django.forms import modelform_factory
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from djmoney.money import Money

from core.decimals import format_yuan
from core.imports import dataset_from_upload, import_dataset
from core.money import (
    CURRENCY_CHOICES,
    CnyMoneyField,
    decimal_of,
    format_money,
    to_money,
)
from funding import selectors
from funding.forms import FundYearForm
from funding.models import FundYear
from funding.resources import AllocationResource
from payroll.cycles.fetch import opening_totals
from payroll.cycles.resources import YearEndBonusResource
from payroll.models import OpeningBalance, TaxDeclaration, YearEndBonus
from tests.factories import CommunityFactory, UserFactory, WorkerFactory
from tests.funding.factories import FundYearFactory

# The typed amounts of issue 14 (item 3), by model.
TYPED = {
    "funding.FundYear": {"allocation", "city_share", "district_share", "street_share"},
    "funding.Project": {"estimated_cost"},
    "funding.BudgetChange": {"new_amount"},
    "funding.Expense": {"amount"},
    "payroll.YearEndBonus": {"amount"},
    "payroll.TaxDeclaration": {
        "child_education",
        "infant_care",
        "elderly_support",
        "housing_loan_interest",
        "housing_rent",
        "continuing_education",
    },
    "payroll.OpeningBalance": {
        "gross_income",
        "tax_exempt_income",
        "special_deductions",
        "special_additional_deductions",
        "other_deductions",
        "tax_withheld",
        "floor_total",
    },
}


def _money_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, djmoney.models.fields.MoneyField):
                yield model, field


def test_every_money_field_is_a_typed_amount_declared_by_the_one_factory():
    found: dict[str, set[str]] = {}
    for model, field in _money_fields():
        assert isinstance(field, CnyMoneyField), (model, field.name)
        found.setdefault(model._meta.label, set()).add(field.name)
    assert found == TYPED


def test_the_currency_is_pinned_to_cny_and_not_editable(monkeypatch):
    # The settings django-money reads say the same (its template tags, forms).
    assert settings.CURRENCY_CHOICES == CURRENCY_CHOICES
    assert settings.DEFAULT_CURRENCY == settings.CURRENCY == "CNY"
    # An upgrade of django-money/py-moneyed that changes its own currency
    # list or default must not change a field's deconstruction.
    monkeypatch.setattr(
        djmoney.models.fields, "CURRENCY_CHOICES", [("CNY", "Yuan Renminbi")]
    )
    monkeypatch.setattr(djmoney.models.fields, "DEFAULT_CURRENCY", "USD")
    for _model, field in _money_fields():
        _name, path, _args, kwargs = field.deconstruct()
        assert path == "core.money.CnyMoneyField"
        assert kwargs["default_currency"] == "CNY"
        assert kwargs["currency_choices"] == CURRENCY_CHOICES == [("CNY", "人民币")]
        assert (kwargs["max_digits"], kwargs["decimal_places"]) == (14, 2)
        currency = field._currency_field
        assert currency.choices == [("CNY", "人民币")]
        assert currency.default == "CNY"
        assert not currency.editable


@pytest.mark.django_db
def test_no_migration_is_pending_even_if_django_money_changes_its_defaults(
    monkeypatch,
):
    monkeypatch.setattr(
        djmoney.models.fields, "CURRENCY_CHOICES", [("USD", "US Dollar")]
    )
    monkeypatch.setattr(djmoney.models.fields, "DEFAULT_CURRENCY", "USD")
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def test_decimal_of_is_the_boundary_and_refuses_another_currency():
    assert decimal_of(Money("12.50", "CNY")) == Decimal("12.50")
    assert type(decimal_of(Money("12.50", "CNY"))) is Decimal
    assert decimal_of(Decimal("3")) == Decimal("3")
    assert decimal_of(None) == Decimal("0")
    with pytest.raises(ValueError, match="CNY"):
        decimal_of(Money("1", "USD"))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_money_shows_as_our_pages_always_showed_it(language):
    values = ["0", "0.005", "-0.005", "2.675", "1234567.8", "-1234.5", "100000000"]
    with translation.override(language):
        for value in values:
            assert format_money(Decimal(value)) == format_yuan(Decimal(value))
        assert format_money(to_money(Decimal("1234567.8"))) == "1,234,567.80"
        page = Template("{% load core_format %}¥{{ a|yuan }} ¥{{ b|yuan }}").render(
            Context({"a": Money("200000", "CNY"), "b": Decimal("-12.5")})
        )
    assert page == "¥200,000.00 ¥-12.50"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_plain_format_writes_what_babel_writes(language):
    import random

    from moneyed.l10n import format_money as babel_format

    from core.decimals import round_cents
    from core.money import CNY, PATTERN

    rng = random.Random(12)
    values = [Decimal("-0.00"), Decimal("-0.004"), Decimal("999.995"), Decimal("1E+3")]
    values += [
        Decimal(rng.randint(-(10**12), 10**12)) / Decimal(10 ** rng.randint(0, 4))
        for _ in range(2000)
    ]
    with translation.override(language):
        locale = translation.to_locale(translation.get_language())
        for value in values:
            expected = babel_format(
                Money(round_cents(value), CNY),
                format=PATTERN,
                locale=locale,
                decimal_quantization=False,
            )
            assert format_money(value) == expected, value


@pytest.mark.django_db
def test_rules_and_reports_receive_decimals():
    fund_year = FundYearFactory(allocation=Decimal("200000.00"))
    assert fund_year.allocation == Money("200000.00", "CNY")
    figures = selectors.fund_year_figures(fund_year)
    assert type(figures.allocation) is Decimal
    # Aggregates and values() read the amount column: plain Decimals.
    total = FundYear.objects.aggregate(total=Sum("allocation"))["total"]
    assert (type(total), total) == (Decimal, Decimal("200000.00"))
    assert list(FundYear.objects.values_list("allocation", flat=True)) == [
        Decimal("200000.00")
    ]
    assert figures.available == Decimal("200000.00")

    worker = WorkerFactory()
    declaration = TaxDeclaration.objects.create(
        worker=worker,
        year=2026,
        child_education=Decimal("2000"),
        elderly_support=Decimal("1500.50"),
    )
    declaration.refresh_from_db()
    assert declaration.child_education == Money("2000.00", "CNY")
    assert declaration.child_education_currency == "CNY"
    assert declaration.monthly_total == Decimal("3500.50")
    assert type(declaration.monthly_total) is Decimal

    opening = OpeningBalance.objects.create(
        worker=worker,
        year=2026,
        as_of_month=6,
        gross_income=Decimal("60000"),
        tax_withheld=Decimal("300"),
        months_employed=6,
        floor_total=Decimal("66000"),
    )
    prior = opening_totals(opening)
    for value in (prior.income, prior.tax_withheld, prior.floor_total):
        assert type(value) is Decimal
    assert (prior.income, prior.tax_withheld) == (Decimal("60000"), Decimal("300"))


@pytest.mark.django_db
def test_a_typed_amount_round_trips_through_an_xlsx_import():
    worker = WorkerFactory()
    YearEndBonus.objects.create(worker=worker, year=2026, amount=Decimal("36000.50"))
    exported = YearEndBonusResource().export()
    assert exported.dict[0]["金额"] in ("36000.50", "36,000.50")  # a number, no ¥
    # Exports mask ID numbers; the sheet staff fill in has them whole.
    sheet = tablib.Dataset(headers=exported.headers)
    for row in exported.dict:
        sheet.append([{**row, "身份证号": worker.id_number}[h] for h in sheet.headers])
    raw = sheet.export("xlsx")
    YearEndBonus.objects.all().delete()

    dataset = dataset_from_upload(SimpleUploadedFile("bonus.xlsx", raw))
    report = import_dataset(YearEndBonusResource(), dataset, dry_run=False)

    assert report.saved, [r.errors for r in report.error_rows]
    bonus = YearEndBonus.objects.get(worker=worker)
    assert bonus.amount == Money("36000.50", "CNY")
    assert bonus.amount_currency == "CNY"


@pytest.mark.django_db
def test_a_bad_amount_in_a_sheet_is_refused_with_its_column():
    worker = WorkerFactory()
    headers = ["身份证号", "年度", "发放月份", "金额", "并入综合所得"]
    dataset = tablib.Dataset(
        [worker.id_number, "2026", "12", "-5", "否"], headers=headers
    )
    report = import_dataset(YearEndBonusResource(), dataset, dry_run=False)
    assert not report.saved
    assert "金额不能为负数" in " ".join(report.error_rows[0].errors)
    assert not YearEndBonus.objects.exists()


@pytest.mark.django_db
def test_the_allocation_sheet_exports_plain_numbers():
    FundYearFactory(allocation=Decimal("220000.00"), city_share=Decimal("120000.00"))
    row = AllocationResource(user=UserFactory(is_superuser=True)).export().dict[0]
    assert row["年度拨款"] in ("220000.00", "220,000.00")
    assert row["市级承担"] in ("120000.00", "120,000.00")


@pytest.mark.django_db
def test_a_model_form_shows_one_amount_input_and_saves_cny():
    form_class = modelform_factory(YearEndBonus, fields=["amount"])
    html = str(form_class()["amount"])
    assert html.count('type="hidden"') == 1  # the currency travels hidden
    assert 'name="amount_1" value="CNY"' in html
    assert "<select" not in html

    bound = form_class({"amount_0": "1234.50", "amount_1": "CNY"})
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["amount"] == Money("1234.50", "CNY")
    assert not form_class({"amount_0": "1", "amount_1": "USD"}).is_valid()
    assert not form_class({"amount_0": "-1", "amount_1": "CNY"}).is_valid()


@pytest.mark.django_db
def test_the_fund_year_form_is_one_amount_input_per_figure():
    community = CommunityFactory()
    form = FundYearForm(
        {
            "community": community.pk,
            "year": "2026",
            "allocation": "200000",
            "city_share": "100000",
            "district_share": "60000",
            "street_share": "40000.005",
        },
        communities=type(community).objects.all(),
    )
    assert not form.is_valid()
    assert "street_share" in form.errors  # at most two decimals
    assert "allocation" not in form.errors
    assert form.fields["allocation"].widget.input_type == "number"


ALLOCATION_BEFORE = ("funding", "0007_role_choices_with_worker")
ALLOCATION_AFTER = ("funding", "0008_typed_amounts_as_money")


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_amount_and_makes_it_cny():
    fund_year = FundYearFactory()
    executor = MigrationExecutor(connection)
    executor.migrate([ALLOCATION_BEFORE])
    try:
        old_apps = executor.loader.project_state([ALLOCATION_BEFORE]).apps
        old = old_apps.get_model("funding", "FundYear")
        old.objects.filter(pk=fund_year.pk).update(
            allocation=Decimal("234567.89"), street_share=Decimal("0.01")
        )
        executor = MigrationExecutor(connection)
        executor.migrate([ALLOCATION_AFTER])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    after = FundYear.objects.get(pk=fund_year.pk)
    assert after.allocation == Money("234567.89", "CNY")
    assert after.street_share == Money("0.01", "CNY")
    assert after.city_share == Money("100000.00", "CNY")
    assert {after.allocation_currency, after.street_share_currency} == {"CNY"}
    assert fund_year.year == after.year == 2026


@pytest.mark.django_db
def test_the_admin_edits_a_typed_amount_as_one_input(client):
    admin_user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    worker = WorkerFactory()
    add = reverse("admin:payroll_yearendbonus_add")
    page = client.get(add)
    assert page.status_code == 200
    assert 'name="amount_0"' in page.text
    assert 'type="hidden" name="amount_1" value="CNY"' in page.text
    response = client.post(
        add,
        {
            "worker": worker.pk,
            "year": "2026",
            "month": "12",
            "amount_0": "24000.5",
            "amount_1": "CNY",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    bonus = YearEndBonus.objects.get(worker=worker)
    assert bonus.amount == Money("24000.50", "CNY")
    listing = client.get(reverse("admin:payroll_yearendbonus_changelist"))
    assert listing.status_code == 200
    # django-money's localized display, as on our pages: ¥ and separators.
    assert 'field-amount">¥24,000.50<' in listing.text

"""django-money at the edge: the amounts people type are stored as Money (CNY
only); the pure rules and the payslip storage see plain ``Decimal``.

- ``money_field`` is the one way a model declares a typed amount: a
  ``djmoney`` ``MoneyField`` with the currency pinned to CNY (fixed
  ``currency_choices``, written into the migrations, so a django-money or
  py-moneyed upgrade that changes its currency list makes no migration). The
  currency column is not editable; forms show one amount input.
- ``decimal_of`` is the boundary: services and selectors that feed a rule,
  a report or a payslip read ``decimal_of(obj.field)``.
- ``format_money`` is how pages show an amount (the ``yuan`` filter):
  py-moneyed's localized formatting with our pattern, "1,234,567.80" in
  every language (the page adds ¥ or "元" as it always has).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import translation
from djmoney.models.fields import MoneyField
from djmoney.models.validators import MinMoneyValidator
from djmoney.money import Money
from moneyed.l10n import format_money as moneyed_format_money

from core.decimals import round_cents

CNY = "CNY"
CURRENCY_CHOICES = [(CNY, "人民币")]
MAX_DIGITS = 14
DECIMAL_PLACES = 2
PATTERN = "#,##0.00"
# Locales whose PATTERN is "1,234,567.80" with "-" before a negative amount.
PLAIN_LOCALES = frozenset({"zh_Hans", "en"})


def to_money(amount: Decimal) -> Money:
    """A Decimal as CNY Money, rounded to the fen."""
    return Money(round_cents(amount), CNY)


def decimal_of(value: Money | Decimal | int | str | None) -> Decimal:
    """The boundary: a typed amount (Money) as the Decimal the rules take.

    Refuses another currency, so nothing foreign reaches a rule unnoticed.
    """
    if value is None:
        return Decimal("0")
    if isinstance(value, Money):
        if value.currency.code != CNY:
            raise ValueError(f"only CNY amounts are handled, got {value.currency}")
        return value.amount
    return Decimal(value)


def format_money(value: Money | Decimal | int | str) -> str:
    """1234567.8 -> "1,234,567.80", rounded to the fen half up, in the
    reader's language (zh-hans and en write it the same way)."""
    amount = round_cents(decimal_of(value))
    locale = translation.to_locale(translation.get_language() or "zh-hans")
    if locale in PLAIN_LOCALES:
        # What babel writes for these locales, ~20 times faster: a cycle page
        # shows some 300 amounts (tests/core/test_money.py compares the two).
        return f"{amount:,.2f}"
    return moneyed_format_money(
        Money(amount, CNY), format=PATTERN, locale=locale, decimal_quantization=False
    )


class CnyMoneyField(MoneyField):
    """``MoneyField`` pinned to CNY: the currency arguments are always
    spelled out in migrations (django-money leaves out what equals its
    settings), so neither a settings nor a library change moves them."""

    def formfield(  # type: ignore[override]  # django-money's own signature
        self, **kwargs: Any
    ) -> Any:
        # One amount input: the currency travels hidden, it can only be CNY.
        kwargs.setdefault("currency_widget", forms.HiddenInput())
        return super().formfield(**kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["default_currency"] = CNY
        kwargs["currency_choices"] = CURRENCY_CHOICES
        return name, path, args, kwargs


def money_field(
    verbose_name: Any, *, non_negative: bool = True, **kwargs: Any
) -> MoneyField:
    """A typed amount in yuan: ``MoneyField(14, 2)``, CNY only.

    ``non_negative`` (the default) refuses a negative amount in forms and the
    admin; an expense reversal is the one negative amount people cause.
    """
    validators = list(kwargs.pop("validators", []))
    if non_negative:
        validators.append(MinMoneyValidator(0))
    return CnyMoneyField(
        verbose_name,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        default_currency=CNY,
        currency_choices=CURRENCY_CHOICES,
        validators=validators,
        **kwargs,
    )


def amount_form_field(
    label: Any, *, minimum: Decimal = Decimal("0"), **kwargs: Any
) -> forms.DecimalField:
    """The single amount input of a form for a typed amount (in yuan)."""
    return forms.DecimalField(
        label=label,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        min_value=minimum,
        **kwargs,
    )

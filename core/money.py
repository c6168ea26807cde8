"""djmoney glue: rules see Decimal, models store Money; convert at the boundary."""

from decimal import Decimal

from django.conf import settings
from djmoney.money import Money

from core.decimals import round_cents


def to_money(amount: Decimal) -> Money:
    return Money(round_cents(amount), settings.CURRENCY)


def money_field_kwargs() -> dict:
    """Keyword arguments every MoneyField in the project uses."""
    return {
        "max_digits": 14,
        "decimal_places": 2,
        "default_currency": "CNY",
        "currency_choices": [("CNY", "人民币")],
    }

"""Numbers and dates as people read them."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.templatetags.core_format import percent, times, yuan


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("0.08"), "8%"),
        (Decimal("0.0800"), "8%"),
        (Decimal("0.125"), "12.5%"),
        (Decimal("0.0025"), "0.25%"),
        (Decimal("1"), "100%"),
        (None, ""),
    ],
)
def test_rates_read_as_percentages(value, shown):
    assert percent(value) == shown


def test_money_has_separators_and_two_decimals():
    assert yuan(Decimal("17824")) == "17,824.00"
    assert yuan(Decimal("2720200.5")) == "2,720,200.50"


def test_multiples_drop_trailing_zeros():
    assert times(Decimal("5.00")) == "5×"
    assert times(Decimal("1.50")) == "1.5×"


@pytest.mark.parametrize(
    ("language", "shown"),
    [("zh-hans", "2026年03月05日"), ("en", "5 Mar 2026")],
)
def test_dates_follow_the_language(language, shown):
    template = Template('{{ day|date:"DATE_FORMAT" }}')
    with translation.override(language):
        assert template.render(Context({"day": date(2026, 3, 5)})) == shown

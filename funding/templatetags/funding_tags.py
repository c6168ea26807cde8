"""Money display for the fund: 1,234,567.89 (yuan, two decimals, exact)."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def yuan(value):
    if value in (None, ""):
        return ""
    try:
        return f"{Decimal(value):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return value

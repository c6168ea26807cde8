"""Display helpers of the fund pages."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext

from funding.rules import format_yuan

register = template.Library()


@register.filter
def yuan(value):
    """1234567.8 -> 1,234,567.80 (yuan, two decimals, exact)."""
    if value in (None, ""):
        return ""
    try:
        return format_yuan(value)
    except (InvalidOperation, TypeError, ValueError):
        return value


@register.filter
def tr(value):
    """Reference data (category, step and use names) in the reader's language.

    The shipped rows are in the message catalogue; names staff typed in the
    admin are shown as typed.
    """
    return gettext(str(value)) if value else value


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or [] when it is missing."""
    return mapping.get(key, []) if mapping else []


@register.filter
def add_yuan(value, other):
    """Exact sum of two amounts in a template (Django's ``add`` goes via int)."""
    return Decimal(value or 0) + Decimal(other or 0)

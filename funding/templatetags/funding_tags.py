"""Display helpers of the fund pages."""

from django import template
from django.utils.translation import gettext

from core.money import decimal_of
from core.templatetags.core_format import yuan

register = template.Library()

# The one money filter (core_format.yuan), so fund pages load one library.
register.filter("yuan", yuan)


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
    return decimal_of(value or 0) + decimal_of(other or 0)

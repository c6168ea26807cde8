"""Formatting for money in pages: 2720200 → "2,720,200.00" in every language
(Django's zh-hans format uses no thousands separator)."""

from decimal import InvalidOperation

from django import template

from core.decimals import format_yuan

register = template.Library()


@register.filter
def yuan(value):
    if value in (None, ""):
        return ""
    try:
        return format_yuan(value)
    except (InvalidOperation, TypeError, ValueError):
        return value


@register.filter
def nav_current(path, url):
    """True when the page at ``path`` belongs to the navigation entry ``url``
    (the home entry only matches itself)."""
    if not path or not url:
        return False
    if url == "/":
        return path == "/"
    return str(path).startswith(str(url))

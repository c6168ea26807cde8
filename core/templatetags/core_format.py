"""Formatting for money in pages: 2720200 → "2,720,200.00" in every language
(Django's zh-hans format uses no thousands separator). ``yuan`` is the one
money filter: a Decimal or a typed amount (Money), through core.money."""

from decimal import Decimal, InvalidOperation

from django import template

from core.money import format_money

register = template.Library()


@register.filter
def yuan(value):
    if value in (None, ""):
        return ""
    try:
        return format_money(value)
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


@register.filter
def percent(value):
    """A rate stored as a fraction, as people read it: 0.08 → "8%",
    0.125 → "12.5%", 0.0025 → "0.25%" (no trailing zeros)."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(value) * 100
    except (InvalidOperation, TypeError, ValueError):
        return value
    text = f"{number.quantize(Decimal('0.0001')):f}".rstrip("0").rstrip(".")
    return f"{text}%"


@register.filter
def times(value):
    """A multiple without trailing zeros: 5.00 → "5×", 1.5 → "1.5×"."""
    if value in (None, ""):
        return ""
    try:
        text = f"{Decimal(value):f}"
    except (InvalidOperation, TypeError, ValueError):
        return value
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}×"

"""Sortable column headers for ``core.listing`` pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from core.listing import Listing

register = template.Library()


@register.simple_tag
def sort_header(listing: Listing, key: str, label: str) -> str:
    """A header link that sorts by ``key``, and reverses it when it is in force."""
    ascending = listing.sort == key
    target = f"-{key}" if ascending else key
    mark = " ▲" if ascending else (" ▼" if listing.sort == f"-{key}" else "")
    prefix = f"?{listing.filters}&sort=" if listing.filters else "?sort="
    return format_html('<a href="{}{}">{}{}</a>', prefix, target, label, mark)

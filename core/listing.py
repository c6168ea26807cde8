"""Long lists as pages: pagination, sorting and the query string that keeps both.

Every list that grows with the city (communities, fund years, projects, users,
documents) goes through here, so a page shows at most ``PER_PAGE`` rows and
the pager, sort links and filters agree on how the query string is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PER_PAGE = 50


@dataclass(frozen=True)
class Listing:
    page: Page
    query: str  # the request's query string without ``page``: filters and sort
    filters: str  # the query string without ``page`` and ``sort``
    sort: str  # the sort key in force ("name" or "-name")


def listing(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    sorts: dict[str, str | tuple[str, ...]] | None = None,
    default_sort: str = "",
    per_page: int = PER_PAGE,
) -> Listing:
    """One page of ``queryset``, ordered by the ``sort`` parameter when it names
    a key of ``sorts`` (``-key`` for descending), else by ``default_sort``."""
    sorts = sorts or {}
    sort = request.GET.get("sort", "") or default_sort
    key = sort.removeprefix("-")
    if key in sorts:
        fields = sorts[key]
        fields = (fields,) if isinstance(fields, str) else fields
        prefix = "-" if sort.startswith("-") else ""
        queryset = queryset.order_by(*(prefix + field for field in fields), "pk")
    else:
        sort = ""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filters = query.copy()
    filters.pop("sort", None)
    return Listing(
        page=page, query=query.urlencode(), filters=filters.urlencode(), sort=sort
    )

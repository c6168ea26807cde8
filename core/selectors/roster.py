"""The places and workers a user sees, their searches and choices, and the
workforce figures and centre standard read from them.
"""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    Model,
    Q,
    QuerySet,
)

from core.models import (
    CentreStandard,
    Community,
    District,
    Post,
    Street,
    Worker,
)

from .scope import UserOrAnonymous, scope_filter


def community_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[Community]:
    return scope_filter(Community.objects.select_related("street__district"), user, "")


def street_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[Street]:
    ids = community_list_visible_to(user=user).values("street_id")
    return Street.objects.filter(pk__in=ids).select_related("district")


def district_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[District]:
    ids = community_list_visible_to(user=user).values("street__district_id")
    return District.objects.filter(pk__in=ids)


def worker_list_visible_to(*, user: UserOrAnonymous) -> QuerySet[Worker]:
    return scope_filter(
        Worker.objects.select_related("community__street__district", "post"), user
    )


def worker_list_search(
    queryset: QuerySet[Worker],
    *,
    text: str = "",
    district: str = "",
    street: str = "",
    community: str = "",
    post: str = "",
    status: str = "",
) -> QuerySet[Worker]:
    if text:
        queryset = queryset.filter(
            Q(full_name__icontains=text) | Q(id_number__endswith=text)
        )
    if district:
        queryset = queryset.filter(community__street__district__code=district)
    if street:
        queryset = queryset.filter(community__street__code=street)
    if community:
        queryset = queryset.filter(community__code=community)
    if post:
        queryset = queryset.filter(post__code=post)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def community_list_search(
    queryset: QuerySet[Community],
    *,
    text: str = "",
    district: str = "",
    street: str = "",
    meets: str = "",
    standard: CentreStandard | None = None,
) -> QuerySet[Community]:
    """Communities by name or code, place, and whether the centre meets the
    area standard (``meets`` "yes"/"no"; ignored without a standard)."""
    if text:
        queryset = queryset.filter(Q(name__icontains=text) | Q(code__icontains=text))
    if district:
        queryset = queryset.filter(street__district__code=district)
    if street:
        queryset = queryset.filter(street__code=street)
    if meets and standard is not None:
        per_household = ExpressionWrapper(
            F("households") * standard.area_per_100_households / 100,
            output_field=DecimalField(max_digits=12, decimal_places=2),
        )
        enough = Q(centre_area__gte=per_household) & Q(
            centre_area__gte=standard.minimum_total_area
        )
        queryset = (
            queryset.filter(enough) if meets == "yes" else queryset.exclude(enough)
        )
    return queryset


# The queryset of each kind of place a user may pick in a form (a foreign key
# to one of these models offers only these rows).
SCOPED_CHOICES = {
    Community: community_list_visible_to,
    Street: street_list_visible_to,
    District: district_list_visible_to,
    Worker: worker_list_visible_to,
}


def choices_visible_to(
    model: type[Model], *, user: UserOrAnonymous
) -> QuerySet[Model] | None:
    """The rows of ``model`` a form may offer ``user``, or None when the model
    is not scoped (reference data such as posts)."""
    selector = SCOPED_CHOICES.get(model)
    return selector(user=user) if selector is not None else None


def worker_list_without_login(workers: QuerySet[Worker]) -> QuerySet[Worker]:
    return workers.filter(user__isnull=True)


def centre_standard_on(day: date) -> CentreStandard | None:
    """The service-centre standard in force on ``day`` (DOMAIN A10)."""
    return (
        CentreStandard.objects.filter(effective_on__lte=day)
        .order_by("-effective_on")
        .first()
    )


class Workforce(TypedDict):
    posts: list[Post]
    rows: list[tuple[int, list[int]]]  # (level, count per post)


def workforce_by_level_and_post(workers: QuerySet[Worker]) -> Workforce:
    """Active workers counted by level and post (one query), for the chart."""
    from django.db.models import Count

    from core.models import Post

    posts = list(Post.objects.order_by("sort_order", "code"))
    counts: dict[tuple[int, int], int] = {
        (row["level"], row["post_id"]): row["n"]
        for row in workers.filter(status=Worker.Status.ACTIVE)
        .order_by()
        .values("level", "post_id")
        .annotate(n=Count("pk"))
    }
    levels = sorted({level for level, _post in counts})
    return {
        "posts": posts,
        "rows": [
            (level, [counts.get((level, post.pk), 0) for post in posts])
            for level in levels
        ],
    }

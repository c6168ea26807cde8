"""A worker sees herself and nothing else: in the selectors, and on every page."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import Community, Worker
from core.selectors import (
    community_list_visible_to,
    scope_filter,
    worker_list_visible_to,
)
from funding.models import FundYear
from payroll.annuity.selectors import annuity_account_list_visible_to
from payroll.cycles.selectors import (
    payroll_cycle_list_visible_to,
    payslip_list_visible_to,
)
from payroll.models import Payslip
from ratings.selectors import annual_grade_list_visible_to, star_rating_list_visible_to

pytestmark = pytest.mark.django_db


def test_selectors_give_a_worker_only_her_own_rows(worker_user, pay_month):
    pay_month(2026, 3)
    me = worker_user.worker

    assert list(worker_list_visible_to(user=worker_user)) == [me]
    assert set(payslip_list_visible_to(user=worker_user)) == set(
        Payslip.objects.filter(worker=me)
    )
    assert Payslip.objects.exclude(worker=me).exists()
    assert not community_list_visible_to(user=worker_user).exists()
    assert not payroll_cycle_list_visible_to(user=worker_user).exists()
    assert not scope_filter(FundYear.objects.all(), worker_user, "community").exists()
    assert not scope_filter(Community.objects.all(), worker_user, "").exists()
    assert {g.worker_id for g in annual_grade_list_visible_to(user=worker_user)} <= {
        me.pk
    }
    assert {s.worker_id for s in star_rating_list_visible_to(user=worker_user)} <= {
        me.pk
    }
    assert {a.worker_id for a in annuity_account_list_visible_to(user=worker_user)} <= {
        me.pk
    }


def test_an_inactive_or_unlinked_worker_login_sees_nothing(worker_user):
    worker_user.is_active = False
    assert not worker_list_visible_to(user=worker_user).exists()
    worker_user.is_active = True
    worker_user.worker = None
    assert not worker_list_visible_to(user=worker_user).exists()


def _patterns(resolvers, prefix="", namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if entry.namespace and namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern)


def _paths(route: str, numbers: list[int]) -> list[str]:
    """Every way of filling a route's parameters with the test's ids and words."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
    params = re.findall(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)", route)
    if not params:
        return ["/" + route]
    values = []
    for converter, _name, group in params:
        if converter == "int":
            values.append([str(n) for n in numbers])
        elif group == "app_label":
            values.append(["core", "payroll"])
        else:
            values.append(["approve", "x", *[str(n) for n in numbers[:2]]])
    paths = [route]
    for choices in values:
        paths = [
            re.sub(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)", choice, path, count=1)
            for path in paths
            for choice in choices
        ]
    return ["/" + path for path in paths]


def test_every_page_of_the_site_refuses_a_worker_outside_her_own(
    worker_user, pay_month, client
):
    """Every URL pattern, filled with her own ids and others', opened by GET
    and POST: her own area answers, everything else is 403 or 404."""
    pay_month(2026, 3)
    me = worker_user.worker
    mine = Payslip.objects.get(worker=me, year=2026, month=3)
    other_worker = Worker.objects.exclude(pk=me.pk).first()
    theirs = Payslip.objects.exclude(worker=me).first()
    numbers = sorted({me.pk, mine.pk, other_worker.pk, theirs.pk, mine.cycle_id})
    client.force_login(worker_user)
    own_area = {
        "selfservice",
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "set_language",
    }
    tried = 0
    for name, route in _patterns(get_resolver().url_patterns):
        if name.split(":")[0] in own_area or name in own_area:
            continue
        if name == "core:home":  # her home is her own area
            assert client.get("/")["Location"] == reverse("selfservice:home")
            continue
        for path in _paths(route, numbers):
            for method in (client.get, client.post):
                response = method(path)
                tried += 1
                if name == "payroll:payslip-pdf" and f"/{mine.pk}/" in path:
                    # Her own payslip as a PDF is hers to download.
                    assert response.status_code == 200, (name, path)
                    continue
                assert response.status_code in (403, 404), (name, path, method)
    assert tried > 200

    own = client.get(reverse("selfservice:payslip", args=[mine.pk]))
    other = client.get(reverse("selfservice:payslip", args=[theirs.pk]))
    assert own.status_code == 200
    assert other.status_code == 404

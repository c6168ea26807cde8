"""Walk every URL pattern as anonymous and each demo role, GET and POST, with
ids inside and outside the scoped users' area, and compare each answer with
the declared table in ``tests/security/permission_matrix.py``.

A URL name without a row fails, and so does any answer that differs from its
row. Run with ``MATRIX_RECORD=1`` to print the observed rows of every name (check it against what the role should do before pasting it).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin, messages
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import User
from tests.security import permission_matrix as matrix
from tests.security.world import World, build_world

pytestmark = pytest.mark.django_db(transaction=False)

RECORD = os.environ.get("MATRIX_RECORD") == "1"
# The id used when the world holds no object of a kind (e.g. no auth groups):
# every role is refused such a page.
NO_OBJECT = 987654321
# URL parameters that take the id (or code) of the row's kind of object.
ID_PARAMS = {"pk", "object_id", "code", "worker_pk"}
# An admin page's (GET permission, POST permission); None: that method is not
# tried (a history page takes no POST; the changelist's POST runs bulk
# actions, which go through the change/delete permissions tried below).
ADMIN_ACTIONS = {
    "changelist": ("view", None),
    "add": ("add", "add"),
    "change": ("view", "change"),
    "history": ("view", None),
    "delete": ("delete", "delete"),
    "import": ("import", "import"),
    "process_import": (None, "import"),
    "export": ("export", "export"),
}


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str
    params: tuple[str, ...]


def url_patterns() -> Iterator[Pattern]:
    def walk(patterns: Any, route: str, namespace: str) -> Iterator[Pattern]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or ""
                name = f"{namespace}:{inner}" if namespace and inner else inner
                yield from walk(
                    entry.url_patterns,
                    route + str(entry.pattern),
                    name or namespace,
                )
            elif isinstance(entry, URLPattern) and entry.name:
                full = f"{namespace}:{entry.name}" if namespace else entry.name
                yield Pattern(
                    full,
                    route + str(entry.pattern),
                    tuple(entry.pattern.converters)
                    or tuple(entry.pattern.regex.groupindex),
                )

    seen: set[str] = set()
    for pattern in walk(get_resolver().url_patterns, "", ""):
        if pattern.name not in seen:
            seen.add(pattern.name)
            yield pattern


def admin_model_action(name: str) -> tuple[str, str] | None:
    """``admin:payroll_yearendbonus_import`` -> ("payroll.yearendbonus", "import")."""
    if not name.startswith("admin:"):
        return None
    rest = name.removeprefix("admin:")
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if rest.startswith(prefix) and rest.removeprefix(prefix) in ADMIN_ACTIONS:
            return model._meta.label_lower, rest.removeprefix(prefix)
    return None


def classify(response: Any) -> str:
    status = response.status_code
    if status >= 500:
        return "error"
    if status in (401, 403, 404, 405, 429):
        return "deny"
    if response.wsgi_request.method == "POST" and any(
        m.level >= messages.ERROR for m in get_messages(response.wsgi_request)
    ):
        return "deny"  # refused with a message (a service's PermissionDenied)
    location = response.get("Location", "") if status in (301, 302) else ""
    if "/login/" in location or location.rstrip("/").endswith("/admin"):
        # To a login page, or to the admin's index ("does not exist, perhaps
        # deleted"): the object was not shown.
        return "deny"
    return "ok"


def expected_for(
    name: str, role: str, method: str, inside: bool | None, world: World
) -> str | None:
    """What the table says ``role`` gets, or None when the table has no row."""
    model_action = admin_model_action(name)
    if model_action is not None:
        label, action = model_action
        rule = matrix.ADMIN_MODELS.get(label)
        if rule is None:
            return None
        get_perm, post_perm = ADMIN_ACTIONS[action]
        perm = get_perm if method == "GET" else post_perm
        allowed = rule.roles(perm) if perm else set()
        scoped = rule.scoped
    else:
        rule_ = matrix.URLS.get(name)
        if rule_ is None:
            return None
        allowed = rule_.get if method == "GET" else rule_.post
        scoped = matrix.OBJECTS.get(name) in matrix.SCOPED_KINDS
        declared = rule_.outside_get if method == "GET" else rule_.outside_post
        if inside is False and declared is not None:
            return "ok" if role in declared else "deny"
    if inside is False and scoped:
        allowed = allowed & matrix.WHOLE_CITY
    return "ok" if role in allowed else "deny"


def fill(pattern: Pattern, world: World, inside: bool) -> str | None:
    model_action = admin_model_action(pattern.name)
    kwargs: dict[str, Any] = {}
    if model_action is not None:
        if "object_id" in pattern.params:
            obj = world.admin_object(model_action[0], inside=inside)
            kwargs["object_id"] = obj.pk if obj is not None else NO_OBJECT
    else:
        extra = matrix.PARAMETERS.get(pattern.name, {})
        kind = matrix.OBJECTS.get(pattern.name, "")
        for param in pattern.params:
            if param in extra:
                kwargs[param] = extra[param]
            elif param in ID_PARAMS:
                obj = world.object(kind, inside=inside)
                if obj is None:
                    kwargs[param] = NO_OBJECT if param != "code" else str(NO_OBJECT)
                else:
                    kwargs[param] = obj.code if param == "code" else obj.pk
            else:
                kwargs[param] = world.admin_param(param)
    try:
        return reverse(pattern.name, kwargs=kwargs)
    except Exception:
        return None


def test_every_url_answers_every_role_as_the_table_says(
    django_capture_on_commit_callbacks,
):
    logging.disable(logging.ERROR)  # 403/404 warnings by the thousand
    try:
        with django_capture_on_commit_callbacks(execute=True):
            call_command(
                "seed_demo", communities=23, workers_per_community=4, verbosity=0
            )
            world = build_world()
        _walk(world)
    finally:
        logging.disable(logging.NOTSET)


def _walk(world: World) -> None:
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role, username in matrix.DEMO_USERS.items():
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=username))
        clients[role] = client

    missing, wrong, recorded = [], [], {}
    checked = 0
    patterns = [p for p in url_patterns() if p.name not in matrix.NOT_WALKED]
    for pattern in patterns:
        has_id = bool(set(pattern.params) & ID_PARAMS)
        passes = (True, False) if has_id and _scoped(pattern.name) else (True,)
        for inside in passes if has_id else (None,):
            url = fill(pattern, world, inside is not False)
            if url is None:
                wrong.append(f"{pattern.name}: cannot fill {pattern.route}")
                continue
            for role, client in clients.items():
                for method in _methods(pattern.name):
                    observed = _request(client, method, url)
                    checked += 1
                    recorded.setdefault(pattern.name, {}).setdefault(
                        (method, inside), set()
                    ).update({role} if observed == "ok" else set())
                    if observed == "error":
                        wrong.append(f"{method} {url} as {role}: server error")
                        continue
                    expected = expected_for(pattern.name, role, method, inside, world)
                    if expected and str(NO_OBJECT) in url:
                        expected = "deny"  # nothing of that kind to show
                    if expected is None:
                        missing.append(pattern.name)
                        continue
                    if observed != expected:
                        wrong.append(
                            f"{method} {url} ({pattern.name}, "
                            f"{'inside' if inside else 'outside' if inside is False else 'no id'}) "
                            f"as {role}: {observed}, table says {expected}"
                        )
    names = {p.name for p in patterns}
    roles = len(clients)
    print(
        f"\npermission matrix: {len(names)} URL names x {roles} roles "
        f"(anonymous + {roles - 1}), {checked} requests"
    )
    if RECORD:
        _print_rows(sorted(recorded), recorded)
    assert sorted(set(missing)) == [], "URL names without a row in the table"
    assert wrong == [], "\n".join(wrong)


def _scoped(name: str) -> bool:
    model_action = admin_model_action(name)
    if model_action is not None:
        rule = matrix.ADMIN_MODELS.get(model_action[0])
        return rule is None or rule.scoped
    return matrix.OBJECTS.get(name) in matrix.SCOPED_KINDS


def _methods(name: str) -> tuple[str, ...]:
    model_action = admin_model_action(name)
    if model_action is not None and ADMIN_ACTIONS[model_action[1]][1] is None:
        return ("GET",)
    return ("GET", "POST")


def _request(client: Client, method: str, url: str) -> str:
    """One request whose changes are rolled back, so the walk's order does
    not matter (a POST that approves a cycle leaves nothing behind)."""
    client.cookies.pop("messages", None)  # no message left from the last request
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        outcome = classify(response)
        transaction.set_rollback(True)
    return outcome


def test_the_table_has_no_rows_for_names_that_no_longer_exist():
    names = {p.name for p in url_patterns()}
    stale = sorted(set(matrix.URLS) - names - set(matrix.NOT_WALKED))
    assert stale == []
    models = {model._meta.label_lower for model in admin.site._registry}
    assert sorted(set(matrix.ADMIN_MODELS) - models) == []


def _print_rows(names: list[str], recorded: dict) -> None:
    """Observed answers as table rows, to check and paste."""

    def text(found: set[str]) -> str:
        return f'roles("{" ".join(sorted(found))}")' if found else "NOBODY"

    models: dict[str, dict[str, Any]] = {}
    for name in names:
        seen = recorded.get(name, {})
        model_action = admin_model_action(name)
        if model_action is None:
            key = True if (("GET", True) in seen) else None
            print(
                f'    "{name}": Rule(get={text(seen.get(("GET", key), set()))}, '
                f"post={text(seen.get(('POST', key), set()))}),"
            )
            continue
        label, action = model_action
        row = models.setdefault(label, {"scoped": False})
        if action == "changelist":
            row["view"] = seen.get(("GET", None), set())
        elif action == "add":
            row["add"] = seen.get(("GET", None), set())
        elif action == "change":
            row["change"] = seen.get(("POST", True), set())
            row["scoped"] = ("GET", False) in seen and seen.get(
                ("GET", True)
            ) != seen.get(("GET", False))
        elif action == "delete":
            row["delete"] = seen.get(("GET", True), set())
        elif action == "import":
            row["import_"] = seen.get(("GET", None), set())
        elif action == "export":
            row["export"] = seen.get(("GET", None), set())
    for label, row in sorted(models.items()):
        parts = [
            f"{key}={text(value)}"
            for key, value in row.items()
            if key != "scoped" and value
        ]
        if row.get("scoped"):
            parts.append("scoped=True")
        print(f'    "{label}": AdminRule({", ".join(parts)}),')

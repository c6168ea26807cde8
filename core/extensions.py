"""Hooks through which apps add to core's pages without core importing them.

An app may define ``home.py`` with ``home_cards(user) -> list[HomeCard]``,
``previews.py`` with ``worker_previews`` / ``worker_leave_previews`` and
``level_checker`` (a level set by hand against the placement rule),
``hooks.py`` with ``worker_level_changed(**facts)`` and
``panels.py`` with ``worker_panels(request, worker) -> list[Panel]``; the nav
items come from ``nav.py`` with ``nav_items(user) -> list[NavItem]``;
``facts.py`` with ``worker_facts(worker, on) -> list[Fact]`` (what is in
force on a day) and ``locked_months(worker_id, since) -> list[(year, month)]``
(the paid, locked months a change from ``since`` reaches, DOMAIN A11;
``locked_months_many(changes)`` the same for many workers, for imports);
``panels.py`` may also give ``desk_panels(request) -> list[Panel]`` (the
auditor's desk); the bulk documents an app prints come from ``documents.py``
with ``document_batch_kinds() -> list[BatchKind]``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.apps import AppConfig, apps
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class HomeCard:
    title: str
    body: str
    url: str = ""
    link_text: str = ""
    order: int = 50
    figures: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


@dataclass(frozen=True)
class Fact:
    """One fact of a worker in force on a day, e.g. 岗位 = 社区副职 since 11-01."""

    label: str
    value: str
    since: Any = None  # the date it took effect, when known
    order: int = 50


@dataclass(frozen=True)
class Preview:
    """What an app shows before a roster change is saved (rendered while the
    change exists only inside a rolled-back savepoint). ``proposed_level`` is
    the level the app would place a new worker at, if it decides levels."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50
    proposed_level: int | None = None


@dataclass(frozen=True)
class LevelFacts:
    """What a level set by hand is checked against: the worker's post and
    level as set, and the facts the placement rule reads."""

    post: Any
    level: int
    started_on: Any
    joined_on: Any
    education: str
    certificates: tuple[tuple[str, Any], ...] = ()
    worker_id: int | None = None


@dataclass(frozen=True)
class LevelFlag:
    """An app's word on a level set by hand that its rule would not give:
    the level the rule proposes, the sentence to show (with the breakdown),
    and what to keep with the level history."""

    level: int
    proposed_level: int
    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int = 50


def app_modules(module_name: str) -> list[tuple[AppConfig, ModuleType]]:
    """Each installed app's ``<app>.<module_name>`` that exists, in
    INSTALLED_APPS order (imported by Django's ``autodiscover_modules``)."""
    autodiscover_modules(module_name)
    found = []
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.{module_name}")
        if module is not None:
            found.append((config, module))
    return found


@dataclass(frozen=True)
class BatchKind:
    """A kind of bulk document job an app offers.

    ``parts(params, user)`` cuts the job into ``(key, label)`` parts inside the
    user's scope; ``issue(key, params, user, batch)`` issues one part's
    documents and returns them; ``title(params)`` names the job.
    """

    key: str
    label: Any
    parts: Callable[[dict[str, Any], Any], list[tuple[dict[str, Any], str]]]
    issue: Callable[[dict[str, Any], dict[str, Any], Any, Any], list[Any]]
    title: Callable[[dict[str, Any]], Any]
    order: int = 50


def _collect(module_name: str, function: str, *args: Any) -> list[Any]:
    items: list[Any] = []
    for _config, module in app_modules(module_name):
        hook = getattr(module, function, None)
        if hook is not None:
            items.extend(hook(*args))
    return sorted(items, key=lambda item: item.order)


def home_cards(user: Any) -> list[HomeCard]:
    return _collect("home", "home_cards", user)


def worker_panels(request: Any, worker: Any) -> list[Panel]:
    return _collect("panels", "worker_panels", request, worker)


def nav_items(user: Any) -> list[NavItem]:
    return _collect("nav", "nav_items", user)


def worker_previews(worker: Any, actor: Any) -> list[Preview]:
    """``previews.worker_previews(worker, actor)``: the effect of adding or
    editing ``worker`` (saved, positions and certificates included, inside a
    savepoint the caller rolls back)."""
    return _collect("previews", "worker_previews", worker, actor)


def worker_leave_previews(worker: Any, left_on: Any, reason: str) -> list[Preview]:
    """``previews.worker_leave_previews(worker, left_on, reason)``: what ending
    the employment on ``left_on`` for ``reason`` (core.services.LeaveReason)
    does (last payslip, annuity), before it is saved."""
    return _collect("previews", "worker_leave_previews", worker, left_on, reason)


def level_checker(
    worker_ids: Iterable[int] = (),
) -> Callable[[LevelFacts], LevelFlag | None]:
    """``previews.level_checker()`` of the apps that decide levels: a check
    made once (its tables read once) that then asks no query, so a roster
    import checks every row at the same cost. Returns a flag when a level
    set by hand differs from the placement rule."""
    checks = [
        module.level_checker(worker_ids=list(worker_ids))
        for _config, module in app_modules("previews")
        if hasattr(module, "level_checker")
    ]

    def check(facts: LevelFacts) -> LevelFlag | None:
        for one in checks:
            flag = one(facts)
            if flag is not None:
                return flag
        return None

    return check


def worker_left(**facts: Any) -> None:
    """Tell the apps a worker's employment ended (``hooks.worker_left``)."""
    _notify("worker_left", **facts)


def _notify(function: str, **facts: Any) -> None:
    for _config, module in app_modules("hooks"):
        hook = getattr(module, function, None)
        if hook is not None:
            hook(**facts)


def worker_level_changed(**facts: Any) -> None:
    """Tell the apps that a worker's level or post was set outside their
    services (``core.services.worker_save``)."""
    for _config, module in app_modules("hooks"):
        hook = getattr(module, "worker_level_changed", None)
        if hook is not None:
            hook(**facts)


def workers_level_changed(facts: list[dict[str, Any]]) -> None:
    """The same for many workers at once (a bulk roster import): an app's
    ``workers_level_changed(facts)`` writes them together; an app with only
    the one-worker hook gets a call per worker."""
    for _config, module in app_modules("hooks"):
        bulk = getattr(module, "workers_level_changed", None)
        if bulk is not None:
            bulk(facts)
            continue
        hook = getattr(module, "worker_level_changed", None)
        if hook is not None:
            for fact in facts:
                hook(**fact)


def worker_facts(worker: Any, on: Any) -> list[Fact]:
    return _collect("facts", "worker_facts", worker, on)


def locked_months(worker_id: int, since: Any) -> list[tuple[int, int]]:
    """The locked payroll months of the worker from ``since`` on, as the
    apps that pay them report them (payroll/facts.py)."""
    months: set[tuple[int, int]] = set()
    for _config, module in app_modules("facts"):
        hook = getattr(module, "locked_months", None)
        if hook is not None:
            months.update(hook(worker_id, since))
    return sorted(months)


def locked_months_many(changes: dict[int, Any]) -> dict[int, list[tuple[int, int]]]:
    """``locked_months`` of many workers at once (worker id -> since), for
    imports: an app's ``facts.locked_months_many`` when it has one (a few
    queries for the whole file), else its ``locked_months`` per worker.
    Workers whose change reaches no locked month are left out."""
    found: dict[int, set[tuple[int, int]]] = {}
    for _config, module in app_modules("facts"):
        many = getattr(module, "locked_months_many", None)
        one = getattr(module, "locked_months", None)
        if many is not None:
            answers = many(changes)
        elif one is not None:
            answers = {pk: one(pk, since) for pk, since in changes.items()}
        else:
            continue
        for pk, months in answers.items():
            if months:
                found.setdefault(pk, set()).update(months)
    return {pk: sorted(months) for pk, months in found.items()}


def desk_panels(request: Any) -> list[Panel]:
    return _collect("panels", "desk_panels", request)


def document_batch_kinds() -> dict[str, BatchKind]:
    return {kind.key: kind for kind in _collect("documents", "document_batch_kinds")}

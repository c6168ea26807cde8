"""Hooks through which apps add to core's pages without core importing them.

An app may define ``home.py`` with ``home_cards(user) -> list[HomeCard]``,
``hooks.py`` with ``worker_level_changed(**facts)`` and
``panels.py`` with ``worker_panels(request, worker) -> list[Panel]`` and
``desk_panels(request) -> list[Panel]`` (the auditor's desk); the nav items
come from ``nav.py`` with ``nav_items(user) -> list[NavItem]``; the bulk
documents an app prints come from ``documents.py`` with
``document_batch_kinds() -> list[BatchKind]``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps


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
class NavItem:
    label: str
    url: str
    order: int = 50


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
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{module_name}":
                raise
            continue
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


def worker_level_changed(**facts: Any) -> None:
    """Tell the apps that a worker's level or post was set outside their
    services (``core.services.worker_save``)."""
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.hooks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.hooks":
                raise
            continue
        hook = getattr(module, "worker_level_changed", None)
        if hook is not None:
            hook(**facts)


def desk_panels(request: Any) -> list[Panel]:
    return _collect("panels", "desk_panels", request)


def document_batch_kinds() -> dict[str, BatchKind]:
    return {kind.key: kind for kind in _collect("documents", "document_batch_kinds")}

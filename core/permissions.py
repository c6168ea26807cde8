"""An authentication backend that grants Django permissions by role."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth.backends import ModelBackend

from core.extensions import app_modules


@cache
def role_permissions() -> dict[str, frozenset[str]]:
    """Merge every app's ``roles.ROLE_PERMISSIONS`` into one table."""
    merged: dict[str, set[str]] = {}
    for _config, module in app_modules("roles"):
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged.setdefault(str(role), set()).update(perms)
    return {role: frozenset(perms) for role, perms in merged.items()}


@cache
def role_only_permissions() -> frozenset[str]:
    """Permissions granted by role and nothing else, not even ``is_superuser``
    (each app's ``roles.ROLE_ONLY_PERMISSIONS``): the separation of duties,
    e.g. only finance computes, approves and locks a payroll cycle."""
    merged: set[str] = set()
    for _config, module in app_modules("roles"):
        merged.update(getattr(module, "ROLE_ONLY_PERMISSIONS", ()))
    return frozenset(merged)


def role_has_perm(role: str, perm: str) -> bool:
    granted = role_permissions().get(role, frozenset())
    if perm in granted:
        return True
    app_label, _, codename = perm.partition(".")
    action = codename.split("_", 1)[0]
    return f"{app_label}.{action}_*" in granted


class RoleBackend(ModelBackend):
    """Adds the role's permissions to the user's own and group permissions."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if not user_obj.is_active:
            return False
        if role_has_perm(getattr(user_obj, "role", ""), perm):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if not user_obj.is_active:
            return False
        granted = role_permissions().get(getattr(user_obj, "role", ""), frozenset())
        if any(p.startswith(f"{app_label}.") for p in granted):
            return True
        return super().has_module_perms(user_obj, app_label)

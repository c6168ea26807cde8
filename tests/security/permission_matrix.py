"""THE PERMISSION MATRIX: who may GET and POST each URL name, and in what scope.

One row per URL name. ``tests/security/test_permission_matrix.py`` walks every
URL pattern of the site as anonymous and as each demo role (admin, city,
district, finance, street, secretary, auditor), GET and POST, and fails when a
name has no row here or an answer differs from its row.

To add a view: add a row to ``URLS`` (app pages and the admin's site-wide
pages) such as::

    "funding:report": Rule(get=SIGNED_IN, post=NOBODY),
    "core:worker-detail": Rule(get=SIGNED_IN, post=NOBODY),

- ``get`` / ``post``: the roles whose request passes the permission check
  ("ok": any answer but 401/403/404/405/429 or a redirect to a login page).
- A URL with ``<pk>`` or ``<code>`` also needs a line in ``OBJECTS`` naming
  the kind of object it takes (``tests/security/world.py`` KINDS). A scoped
  kind is tried twice: with an object inside the area of every scoped demo
  user and with one in another district; outside, only roles in
  ``WHOLE_CITY`` keep their access.
- ``PARAMETERS``: fixed values for other URL parameters (``{"action": "approve"}``).

An admin model page (changelist, add, change, history, delete, import,
export) takes its rule from ``ADMIN_MODELS``: one ``AdminRule`` per model
saying which roles may view, add, change, delete, import and export, and
whether its list is scoped.

``MATRIX_RECORD=1 pytest tests/security/test_permission_matrix.py -s`` prints
what each unruled or differing name answered: check it against what the role
should be allowed before you copy it here.
"""

from __future__ import annotations

from dataclasses import dataclass

ANONYMOUS = "anonymous"
DEMO_USERS = {
    "admin": "admin",
    "city": "city",
    "district": "district",
    "finance": "finance",
    "street": "street",
    "secretary": "secretary",
    "auditor": "auditor",
}


def roles(text: str) -> frozenset[str]:
    return frozenset(text.split())


NOBODY: frozenset[str] = frozenset()
SIGNED_IN = roles("admin city district finance street secretary auditor")
EVERYONE = SIGNED_IN | {ANONYMOUS}
# Roles whose area is the whole city in the demo (no district/street/community).
WHOLE_CITY = roles("admin city finance auditor")
# Kinds of object that belong to a place (see tests/security/world.py).
SCOPED_KINDS = {
    "worker",
    "community",
    "cycle",
    "payslip",
    "annuity-account",
    "annuity-membership",
    "annuity-entry",
    "fund-year",
    "project",
    "objection",
    "expense",
    "file",
}


@dataclass(frozen=True)
class Rule:
    get: frozenset[str]
    post: frozenset[str] = NOBODY


@dataclass(frozen=True)
class AdminRule:
    view: frozenset[str] = NOBODY
    add: frozenset[str] = NOBODY
    change: frozenset[str] = NOBODY
    delete: frozenset[str] = NOBODY
    import_: frozenset[str] = NOBODY
    export: frozenset[str] = NOBODY
    scoped: bool = False

    def roles(self, action: str) -> frozenset[str]:
        return getattr(self, "import_" if action == "import" else action)


# URL names not walked, and why.
NOT_WALKED = {
    "logout": "ends the session the walk is using",
    "admin:logout": "ends the session the walk is using",
    "admin:view_on_site": "a redirect to the object's own page, checked there",
}

# The kind of object each URL with an id names (used by the walk to fill it).
OBJECTS = {
    "core:worker-detail": "worker",
    "funding:expense-create": "project",
    "funding:expense-reverse": "expense",
    "funding:file-download": "file",
    "funding:fund-year-close": "fund-year",
    "funding:fund-year-detail": "fund-year",
    "funding:fund-year-statement": "fund-year",
    "funding:meeting-create": "project",
    "funding:objection-answer": "objection",
    "funding:objection-create": "project",
    "funding:project-create": "fund-year",
    "funding:project-detail": "project",
    "funding:project-transition": "project",
    "funding:public-community": "community",
    "payroll:annuity-account": "annuity-account",
    "payroll:annuity-entry-reverse": "annuity-entry",
    "payroll:annuity-leave": "annuity-membership",
    "payroll:cycle-action": "cycle",
    "payroll:cycle-bank-file": "cycle",
    "payroll:cycle-costs": "cycle",
    "payroll:cycle-detail": "cycle",
    "payroll:cycle-progress": "cycle",
    "payroll:cycle-register": "cycle",
    "payroll:cycle-totals": "cycle",
    "payroll:indexation-preview": "scale",
    "payroll:payslip-detail": "payslip",
    "payroll:scale-adopt": "scale",
    "payroll:scale-copy": "scale",
    "payroll:scale-detail": "scale",
    "payroll:scale-export": "scale",
    "payroll:scale-import": "scale",
    "payroll:worker-placement": "worker",
    "payroll:worker-post-change": "worker",
    "admin:otp_totp_totpdevice_config": "totp-device",
    "admin:otp_totp_totpdevice_qrcode": "totp-device",
}
# Fixed values of other URL parameters.
PARAMETERS = {
    "payroll:cycle-action": {"action": "approve"},
    "payroll:scale-import": {"table": "level_pays"},
    "payroll:payroll-data-import": {"table": "bonuses"},
    "payroll:payroll-data-template": {"table": "bonuses"},
    "admin:app_list": {"app_label": "core"},
}

URLS: dict[str, Rule] = {}

ADMIN_MODELS: dict[str, AdminRule] = {}

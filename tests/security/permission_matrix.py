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

What "ok" means for a POST: the request got past the permission and scope
checks (an empty form coming back with its errors counts as ok; a refusal by
403/404, a login redirect or an error message counts as denied). The walk's
world (tests/security/world.py) is the demo city with one computed, not yet
approved, cycle per district, so pages that need an approved cycle (register,
bank file) answer denied to everyone here; approving needs a second finance
officer, who is not among the walked roles. It also holds, inside the scoped
users' area and in another district, an issued fund statement, a budget
change waiting for the street and a deduction claim (the secretary's own
inside), and one finished document batch of the finance officer.

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
    "document",
    "budget-change",
    "declaration",
}


@dataclass(frozen=True)
class Rule:
    get: frozenset[str]
    post: frozenset[str] = NOBODY
    # Who gets through with an object in another district, when that is not
    # simply ``get``/``post`` limited to WHOLE_CITY.
    outside_get: frozenset[str] | None = None
    outside_post: frozenset[str] | None = None


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
    "funding:public-community": "public-community",
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
    "core:import-job": "import-job",
    "core:import-job-progress": "import-job",
    "core:batch-detail": "document-batch",
    "core:batch-download": "document-batch",
    "core:batch-resume": "document-batch",
    "core:document-download": "document",
    "core:user-edit": "user",
    "core:user-password": "user",
    "core:verify": "document",
    "core:worker-edit": "worker",
    "core:worker-leave": "worker",
    "core:worker-login-issue": "worker",
    "funding:budget-change-create": "project",
    "funding:budget-change-decide": "budget-change",
    "funding:budget-change-withdraw": "budget-change",
    "funding:carry-forward-decide": "project",
    "funding:carry-forward-request": "project",
    "payroll:cycle-bank-list-pdf": "cycle",
    "payroll:cycle-register-pdf": "cycle",
    "payroll:declaration-review": "declaration",
    "payroll:payslip-pdf": "payslip",
    "payroll:tax-year-pdf": "worker",
    "selfservice:declaration-withdraw": "declaration",
    "selfservice:payslip": "payslip",
}
# Fixed values of other URL parameters.
PARAMETERS = {
    "payroll:cycle-action": {"action": "approve"},
    "payroll:scale-import": {"table": "level_pays"},
    "payroll:payroll-data-import": {"table": "bonuses"},
    "payroll:payroll-data-template": {"table": "bonuses"},
    "admin:app_list": {"app_label": "core"},
    "payroll:declaration-review": {"action": "approve"},
    "payroll:tax-year-pdf": {"year": 2026},
    "selfservice:statement-year": {"year": 2026},
}

URLS: dict[str, Rule] = {
    "admin:app_list": Rule(
        get=roles("admin city district finance"),
        post=roles("admin city district finance"),
    ),
    "admin:auth_user_password_change": Rule(get=NOBODY, post=NOBODY),
    "admin:autocomplete": Rule(get=NOBODY, post=NOBODY),
    "admin:index": Rule(
        get=roles("admin city district finance"),
        post=roles("admin city district finance"),
    ),
    "admin:jsi18n": Rule(get=roles("admin city district finance"), post=NOBODY),
    "admin:login": Rule(
        get=roles("anonymous auditor secretary street"),
        post=roles("admin anonymous auditor city district finance secretary street"),
    ),
    "admin:otp_totp_totpdevice_config": Rule(get=roles("admin"), post=roles("admin")),
    "admin:otp_totp_totpdevice_qrcode": Rule(get=roles("admin"), post=roles("admin")),
    "admin:password_change": Rule(
        get=roles("admin city district finance"),
        post=roles("admin city district finance"),
    ),
    "admin:password_change_done": Rule(
        get=roles("admin city district finance"), post=NOBODY
    ),
    "core:community-list": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "core:home": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "core:roster-export": Rule(
        get=roles("admin city district"), post=roles("admin city district")
    ),
    "core:roster-import": Rule(
        get=roles("admin city district"), post=roles("admin city district")
    ),
    # A checked import is its uploader's alone (404 to anyone else) while the
    # uploader may still import the roster; the walk's world holds no import
    # job, so the walk sees refusals (tests/core/test_imports_scale.py tries
    # the owner, other users and a lost role).
    "core:import-job": Rule(get=roles("admin city district"), post=NOBODY),
    "core:import-job-progress": Rule(get=roles("admin city district"), post=NOBODY),
    "core:roster-template": Rule(
        get=roles("admin city district"), post=roles("admin city district")
    ),
    "core:worker-detail": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "core:worker-list": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "funding:allocation-import": Rule(
        get=roles("admin city district finance"),
        post=roles("admin city district finance"),
    ),
    "funding:allocation-template": Rule(
        get=roles("admin city district finance"),
        post=roles("admin city district finance"),
    ),
    "funding:desk": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "funding:expense-create": Rule(get=roles("secretary"), post=roles("secretary")),
    "funding:expense-reverse": Rule(get=NOBODY, post=NOBODY),
    "funding:file-download": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "funding:fund-year-close": Rule(
        get=roles("admin city district finance"),
        post=roles("admin city district finance"),
    ),
    "funding:fund-year-create": Rule(
        get=roles("admin city district finance"),
        post=roles("admin city district finance"),
    ),
    "funding:fund-year-detail": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "funding:fund-year-list": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "funding:fund-year-statement": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "funding:meeting-create": Rule(get=roles("secretary"), post=roles("secretary")),
    "funding:objection-answer": Rule(get=NOBODY, post=NOBODY),
    "funding:objection-create": Rule(get=NOBODY, post=NOBODY),
    "funding:project-create": Rule(get=roles("secretary"), post=roles("secretary")),
    "funding:project-detail": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "funding:project-transition": Rule(
        get=NOBODY, post=roles("admin auditor city district finance secretary street")
    ),
    "funding:public-community": Rule(
        get=roles("admin anonymous auditor city district finance secretary street"),
        post=roles("admin anonymous auditor city district finance secretary street"),
    ),
    "funding:report": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "funding:report-export": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "login": Rule(
        get=roles("admin anonymous auditor city district finance secretary street"),
        post=roles("admin anonymous auditor city district finance secretary street"),
    ),
    "payroll:annuity-account": Rule(get=NOBODY, post=NOBODY),
    "payroll:annuity-accounts": Rule(
        get=roles("admin auditor city finance"),
        post=roles("admin auditor city finance"),
    ),
    "payroll:annuity-entry-reverse": Rule(get=NOBODY, post=NOBODY),
    "payroll:annuity-home": Rule(
        get=roles("admin auditor city finance secretary"),
        post=roles("admin auditor city finance secretary"),
    ),
    "payroll:annuity-leave": Rule(get=NOBODY, post=NOBODY),
    "payroll:annuity-returns-import": Rule(get=roles("finance"), post=roles("finance")),
    "payroll:annuity-returns-template": Rule(
        get=roles("finance"), post=roles("finance")
    ),
    "payroll:annuity-target": Rule(
        get=roles("admin auditor city finance"),
        post=roles("admin auditor city finance"),
    ),
    "payroll:cycle-action": Rule(get=NOBODY, post=NOBODY),
    "payroll:cycle-bank-file": Rule(get=NOBODY, post=NOBODY),
    # Community totals (no one person's pay): a secretary gets her part.
    "payroll:cycle-costs": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "payroll:cycle-detail": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "payroll:cycle-list": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "payroll:cycle-progress": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "payroll:cycle-register": Rule(
        get=roles("admin auditor city district finance"),
        post=roles("admin auditor city district finance"),
    ),
    # Community totals (no one person's pay): a secretary gets her part.
    "payroll:cycle-totals": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "payroll:indexation-preview": Rule(
        get=roles("admin auditor city district finance"),
        post=roles("admin auditor city district finance"),
    ),
    "payroll:level-import": Rule(
        get=roles("admin city district"), post=roles("admin city district")
    ),
    "payroll:level-template": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "payroll:payroll-data-import": Rule(get=roles("finance"), post=roles("finance")),
    "payroll:payroll-data-template": Rule(get=roles("finance"), post=roles("finance")),
    # A secretary or street officer does not open her colleagues' payslips.
    "payroll:payslip-detail": Rule(
        get=roles("admin auditor city district finance"),
        post=roles("admin auditor city district finance"),
    ),
    "payroll:scale-adopt": Rule(get=NOBODY, post=NOBODY),
    "payroll:scale-copy": Rule(get=NOBODY, post=NOBODY),
    "payroll:scale-detail": Rule(
        get=roles("admin auditor city district finance"),
        post=roles("admin auditor city district finance"),
    ),
    "payroll:scale-export": Rule(
        get=roles("admin auditor city district finance"),
        post=roles("admin auditor city district finance"),
    ),
    "payroll:scale-import": Rule(get=roles("admin city finance"), post=NOBODY),
    "payroll:scale-list": Rule(
        get=roles("admin auditor city district finance"),
        post=roles("admin auditor city district finance"),
    ),
    "payroll:tax-summary": Rule(
        get=roles("admin auditor city district finance"),
        post=roles("admin auditor city district finance"),
    ),
    "payroll:worker-placement": Rule(
        get=roles("admin city district"), post=roles("admin city district")
    ),
    "payroll:worker-post-change": Rule(get=NOBODY, post=NOBODY),
    "ratings:grade-export": Rule(
        get=roles("admin auditor city district finance street"),
        post=roles("admin auditor city district finance street"),
    ),
    "ratings:grade-import": Rule(
        get=roles("admin city district"), post=roles("admin city district")
    ),
    "ratings:grade-list": Rule(
        get=roles("admin auditor city district finance street"),
        post=roles("admin auditor city district finance street"),
    ),
    "ratings:grade-template": Rule(
        get=roles("admin city district"), post=roles("admin city district")
    ),
    "ratings:star-import": Rule(
        get=roles("admin city district"), post=roles("admin city district")
    ),
    "ratings:star-template": Rule(
        get=roles("admin city district"), post=roles("admin city district")
    ),
    "set_language": Rule(
        get=roles("admin anonymous auditor city district finance secretary street"),
        post=roles("admin anonymous auditor city district finance secretary street"),
    ),
    "twofactor-setup": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    "twofactor-verify": Rule(
        get=roles("admin auditor city district finance secretary street"),
        post=roles("admin auditor city district finance secretary street"),
    ),
    # Added after the merges of documents, user management, worker logins,
    # self-service, budget changes and declarations.
    "core:desk": Rule(get=SIGNED_IN, post=SIGNED_IN),
    "core:document-list": Rule(get=SIGNED_IN, post=SIGNED_IN),
    # The list's download answers a POST as a GET (with the documents of
    # the world, tests/security/world.py, there is something to download).
    "core:document-list-download": Rule(get=SIGNED_IN, post=SIGNED_IN),
    # A fund statement inside the scoped users' area and one outside.
    "core:document-download": Rule(get=SIGNED_IN, post=SIGNED_IN),
    # A batch is its requester's (the finance officer's) and the administrator's.
    "core:batch-detail": Rule(get=roles("admin finance"), post=roles("admin finance")),
    "core:batch-download": Rule(
        get=roles("admin finance"), post=roles("admin finance")
    ),
    "core:batch-resume": Rule(get=NOBODY, post=roles("admin finance")),
    # An empty POST names no kind of document: refused with a message to all.
    "core:batch-start": Rule(get=NOBODY, post=NOBODY),
    # Public: anyone checks a document's code (the page is the same outside).
    "core:verify": Rule(
        get=EVERYONE, post=EVERYONE, outside_get=EVERYONE, outside_post=EVERYONE
    ),
    "core:download-log": Rule(get=roles("admin auditor"), post=roles("admin auditor")),
    "core:download-log-export": Rule(
        get=roles("admin auditor"), post=roles("admin auditor")
    ),
    "core:user-list": Rule(get=roles("admin"), post=roles("admin")),
    "core:user-create": Rule(get=roles("admin"), post=roles("admin")),
    "core:user-edit": Rule(get=roles("admin"), post=roles("admin")),
    "core:user-password": Rule(get=roles("admin"), post=roles("admin")),
    "core:worker-create": Rule(
        get=roles("admin city district"), post=roles("admin city district")
    ),
    "core:worker-edit": Rule(
        get=roles("admin city district"), post=roles("admin city district")
    ),
    "core:worker-leave": Rule(
        get=roles("admin city district"), post=roles("admin city district")
    ),
    # The walk's inside worker already has a login (refused with a message,
    # observed); the other district's worker gets one.
    "core:worker-login-issue": Rule(
        get=NOBODY, post=NOBODY, outside_post=roles("admin city")
    ),
    "core:worker-logins": Rule(
        get=roles("admin city district"), post=roles("admin city district")
    ),
    # The one-time passwords just issued, once, from the session: with none
    # issued in the walk's session every role gets 404 (the issuers are
    # admin city district, checked before).
    "core:worker-logins-download": Rule(get=NOBODY, post=NOBODY),
    "funding:budget-change-create": Rule(
        get=roles("secretary"), post=roles("secretary")
    ),
    # The world's changes wait for the street: the district is refused (403)
    # before the form is read, as every other role.
    "funding:budget-change-decide": Rule(get=NOBODY, post=roles("street")),
    "funding:budget-change-withdraw": Rule(get=NOBODY, post=roles("secretary")),
    # The secretary asks; an empty POST is refused with a message by the
    # form check, so the walk sees refusals only.
    "funding:carry-forward-request": Rule(get=NOBODY, post=NOBODY),
    "funding:carry-forward-decide": Rule(get=NOBODY, post=roles("street")),
    "password_change": Rule(get=SIGNED_IN, post=SIGNED_IN),
    "password_change_done": Rule(get=SIGNED_IN, post=NOBODY),
    # The walk's cycles are computed, not approved: nothing is printable yet.
    "payroll:cycle-bank-list-pdf": Rule(get=NOBODY, post=NOBODY),
    "payroll:cycle-register-pdf": Rule(get=NOBODY, post=NOBODY),
    "payroll:payslip-pdf": Rule(get=NOBODY, post=NOBODY),
    "payroll:tax-year-pdf": Rule(get=NOBODY, post=NOBODY),
    "payroll:declaration-review-list": Rule(
        get=roles("admin auditor finance"), post=roles("admin auditor finance")
    ),
    "payroll:declaration-review": Rule(get=NOBODY, post=roles("finance")),
    "ratings:grade-grid": Rule(
        get=roles("admin city district"), post=roles("admin city district")
    ),
    "ratings:grade-record": Rule(
        get=roles("admin city district"), post=roles("admin city district")
    ),
    "ratings:star-record": Rule(
        get=roles("admin city district"), post=roles("admin city district")
    ),
    # A worker's own pages: the worker role is not walked; the demo secretary
    # is herself a community worker (user.worker), so she opens her own.
    "selfservice:home": Rule(get=roles("secretary"), post=roles("secretary")),
    "selfservice:annuity": Rule(get=roles("secretary"), post=roles("secretary")),
    "selfservice:declarations": Rule(get=roles("secretary"), post=roles("secretary")),
    "selfservice:declaration-submit": Rule(get=NOBODY, post=roles("secretary")),
    "selfservice:declaration-withdraw": Rule(get=NOBODY, post=roles("secretary")),
    "selfservice:level": Rule(get=roles("secretary"), post=roles("secretary")),
    "selfservice:payslip": Rule(get=NOBODY, post=NOBODY),
    "selfservice:profile": Rule(get=roles("secretary"), post=roles("secretary")),
    # An empty POST names no field to reveal: refused.
    "selfservice:profile-reveal": Rule(get=NOBODY, post=NOBODY),
    "selfservice:ratings": Rule(get=roles("secretary"), post=roles("secretary")),
    "selfservice:statement": Rule(get=roles("secretary"), post=roles("secretary")),
    "selfservice:statement-year": Rule(get=roles("secretary"), post=roles("secretary")),
}

ADMIN_MODELS: dict[str, AdminRule] = {
    "auth.group": AdminRule(add=roles("admin"), view=roles("admin")),
    "axes.accessattempt": AdminRule(view=roles("admin")),
    "axes.accessfailurelog": AdminRule(view=roles("admin")),
    "axes.accesslog": AdminRule(
        change=roles("admin"), view=roles("admin"), delete=roles("admin")
    ),
    "core.centrestandard": AdminRule(
        add=roles("admin city"),
        change=roles("admin city"),
        view=roles("admin city"),
        delete=roles("admin"),
    ),
    "core.changelog": AdminRule(view=roles("admin city district")),
    "core.city": AdminRule(
        add=roles("admin"),
        change=roles("admin"),
        view=roles("admin city"),
        delete=roles("admin"),
    ),
    "core.community": AdminRule(
        add=roles("admin city"),
        change=roles("admin city district"),
        view=roles("admin city district finance"),
        delete=roles("admin"),
        scoped=True,
    ),
    "core.district": AdminRule(
        add=roles("admin city"),
        change=roles("admin city"),
        view=roles("admin city district"),
        delete=roles("admin"),
        scoped=True,
    ),
    "core.post": AdminRule(
        add=roles("admin city"),
        change=roles("admin city"),
        view=roles("admin city district finance"),
        delete=roles("admin"),
    ),
    "core.street": AdminRule(
        add=roles("admin city"),
        change=roles("admin city"),
        view=roles("admin city district"),
        delete=roles("admin"),
        scoped=True,
    ),
    "core.user": AdminRule(
        add=roles("admin"),
        change=roles("admin"),
        view=roles("admin"),
        delete=roles("admin"),
    ),
    "core.worker": AdminRule(
        add=roles("admin city district"),
        change=roles("admin city district"),
        view=roles("admin city district finance"),
        delete=roles("admin"),
        scoped=True,
    ),
    "funding.category": AdminRule(
        add=roles("admin city"),
        change=roles("admin city"),
        view=roles("admin city"),
        delete=roles("admin"),
    ),
    "funding.expense": AdminRule(view=roles("admin city finance")),
    "funding.forbiddenuse": AdminRule(
        add=roles("admin city"),
        change=roles("admin city"),
        view=roles("admin city"),
        delete=roles("admin"),
    ),
    "funding.fundpolicy": AdminRule(
        add=roles("admin city"),
        change=roles("admin city"),
        view=roles("admin city"),
        delete=roles("admin"),
    ),
    "funding.fundyear": AdminRule(
        view=roles("admin city district finance"), scoped=True
    ),
    "funding.project": AdminRule(view=roles("admin city district finance")),
    "funding.transition": AdminRule(
        add=roles("admin city"),
        change=roles("admin city"),
        view=roles("admin city"),
        delete=roles("admin"),
    ),
    "otp_static.staticdevice": AdminRule(add=roles("admin"), view=roles("admin")),
    "otp_totp.totpdevice": AdminRule(
        add=roles("admin"),
        change=roles("admin"),
        view=roles("admin"),
        delete=roles("admin"),
    ),
    "payroll.annuityaccount": AdminRule(view=roles("admin city finance")),
    "payroll.annuitybase": AdminRule(
        add=roles("admin finance"),
        change=roles("admin finance"),
        view=roles("admin city finance"),
        delete=roles("admin finance"),
    ),
    "payroll.annuityentry": AdminRule(view=roles("admin city finance")),
    "payroll.annuitymembership": AdminRule(
        add=roles("admin finance"),
        change=roles("admin finance"),
        view=roles("admin city finance"),
    ),
    "payroll.annuityplan": AdminRule(
        add=roles("admin finance"),
        change=roles("admin finance"),
        view=roles("admin city finance"),
        delete=roles("admin finance"),
    ),
    "payroll.annuityplanversion": AdminRule(
        add=roles("admin finance"), view=roles("admin city finance")
    ),
    "payroll.contributionbase": AdminRule(
        add=roles("admin finance"),
        view=roles("admin city finance"),
        export=roles("admin city finance"),
        import_=roles("admin finance"),
    ),
    "payroll.contributionrates": AdminRule(
        add=roles("admin finance"), view=roles("admin city finance")
    ),
    "payroll.levelchange": AdminRule(
        view=roles("admin city district finance"), scoped=True
    ),
    "payroll.payrollcycle": AdminRule(view=roles("admin city district finance")),
    "payroll.payslip": AdminRule(view=roles("admin city district finance")),
    "payroll.scaleversion": AdminRule(
        add=roles("admin city finance"), view=roles("admin city district finance")
    ),
    "payroll.taxdeclaration": AdminRule(
        add=roles("admin finance"),
        view=roles("admin city finance"),
        export=roles("admin city finance"),
        import_=roles("admin finance"),
    ),
    "payroll.taxtable": AdminRule(
        add=roles("admin finance"), view=roles("admin city finance")
    ),
    "payroll.yearendbonus": AdminRule(
        add=roles("admin finance"),
        view=roles("admin city finance"),
        export=roles("admin city finance"),
        import_=roles("admin finance"),
    ),
    "ratings.annualgrade": AdminRule(
        add=roles("admin city district"),
        change=roles("admin city district"),
        view=roles("admin city district finance"),
        delete=roles("admin city"),
        scoped=True,
    ),
    "ratings.starrating": AdminRule(
        add=roles("admin city district"),
        change=roles("admin city district"),
        view=roles("admin city district finance"),
        delete=roles("admin city"),
        scoped=True,
    ),
    "core.downloadlog": AdminRule(view=roles("admin")),
    "core.issueddocument": AdminRule(view=roles("admin city")),
    "funding.budgetchange": AdminRule(view=roles("admin city")),
    "funding.expenseclass": AdminRule(
        add=roles("admin"),
        change=roles("admin"),
        view=roles("admin city"),
        delete=roles("admin"),
        export=roles("admin city"),
        import_=roles("admin"),
    ),
    "payroll.annuitylegalcaps": AdminRule(
        add=roles("admin finance"),
        change=roles("admin finance"),
        view=roles("admin city finance"),
        delete=roles("admin finance"),
    ),
    "payroll.bankfilelayout": AdminRule(
        add=roles("admin finance"),
        change=roles("admin finance"),
        view=roles("admin city finance"),
        delete=roles("admin finance"),
    ),
    "payroll.correctionpolicy": AdminRule(
        add=roles("admin finance"),
        change=roles("admin finance"),
        view=roles("admin city finance"),
        delete=roles("admin finance"),
    ),
    "payroll.deductionclaim": AdminRule(view=roles("admin city finance")),
    "payroll.deductionstandard": AdminRule(
        add=roles("admin finance"),
        change=roles("admin finance"),
        view=roles("admin city finance"),
        delete=roles("admin finance"),
    ),
    "payroll.openingbalance": AdminRule(
        add=roles("admin finance"),
        view=roles("admin city finance"),
        export=roles("admin city finance"),
        import_=roles("admin finance"),
    ),
}

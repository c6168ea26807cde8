"""The member's annuity statement as an issued document (numbered, signed,
verifiable: core.documents)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from core.documents.models import DocumentKind, IssuedDocument
from core.documents.services import document_issue
from core.rules import mask_name
from core.templatetags.core_format import yuan
from payroll.annuity.selectors import account_statement
from payroll.models import AnnuityAccount


def statement_facts(statement: Any) -> list[Any]:
    return [
        statement.account.pk,
        statement.account.worker.full_name,
        str(statement.on),
        str(statement.employer),
        str(statement.member),
        str(statement.vesting.vested),
        [
            [e.pk, e.part, e.kind, str(e.amount), str(e.booked_on), e.note]
            for e in statement.entries
        ],
    ]


def statement_issue(
    *, account: AnnuityAccount, on: date, issued_by: Any, batch: Any = None
) -> IssuedDocument:
    statement = account_statement(account, on)
    worker = account.worker
    if worker is None:  # members' statements only (see annuity_account_list_visible_to)
        raise ValueError("the plan's common account has no member statement")
    return document_issue(
        kind=DocumentKind.ANNUITY_STATEMENT,
        subject_key=f"annuity:{account.pk}:{on.isoformat()}",
        facts=statement_facts(statement),
        template="pdf/annuity_statement.html",
        context={"statement": statement},
        title=_("%(plan)s 个人账户对账单 %(name)s")
        % {"plan": account.plan, "name": worker.full_name},
        subject_name=mask_name(worker.full_name),
        totals=[
            (_("账户合计"), yuan(statement.total)),
            (_("已归属合计"), yuan(statement.vested_total)),
        ],
        worker=worker,
        community=worker.community,
        year=on.year,
        issued_by=issued_by,
        batch=batch,
    )

"""Pages of the secretaries' annuity: the plan summary, members' accounts and
their statements, leaving, the yearly returns import, and the 15,000 yuan
target report (DOMAIN A8)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import clock, exports
from core.http import AuthenticatedHttpRequest
from payroll.annuity.selectors import (
    account_statement,
    annuity_account_list_visible_to,
    balances,
    own_membership,
    plan_summary,
    target_report,
    user_sees_annuity_plan,
)
from payroll.annuity.services import postings
from payroll.models.annuity import AnnuityEntry, AnnuityMembership
from payroll.models.annuity_plans import AnnuityPlan, LeavingReason


def _plan() -> AnnuityPlan:
    plan = AnnuityPlan.objects.order_by("pk").first()
    if plan is None:
        raise Http404(_("尚无企业年金计划。"))
    return plan


def _require_plan_reader(request: AuthenticatedHttpRequest) -> None:
    if not user_sees_annuity_plan(request.user):
        raise PermissionDenied


def _can_manage(user) -> bool:
    return user.has_perm("payroll.manage_annuity")


def _date(text: str | None) -> date:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return clock.today()


@login_required
def annuity_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The plan summary for staff; a secretary goes to her own account."""
    if not user_sees_annuity_plan(request.user):
        own = annuity_account_list_visible_to(user=request.user).first()
        if own is not None:
            return redirect("payroll:annuity-account", pk=own.pk)
        membership = own_membership(request.user)
        if membership is None:
            raise PermissionDenied
        return render(
            request, "payroll/annuity_no_account.html", {"membership": membership}
        )
    summary = plan_summary(_plan(), clock.today())
    return render(
        request,
        "payroll/annuity_plan.html",
        {"summary": summary, "can_manage": _can_manage(request.user)},
    )


@login_required
def annuity_account_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    accounts = annuity_account_list_visible_to(user=request.user).order_by(
        "worker__community__code", "worker__full_name"
    )
    if not user_sees_annuity_plan(request.user) and not accounts.exists():
        raise PermissionDenied
    text = request.GET.get("q", "").strip()
    if text:
        accounts = accounts.filter(worker__full_name__icontains=text)
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    totals = balances([a.pk for a in page.object_list])
    rows = [
        {
            "account": a,
            "employer": totals[a.pk]["employer"],
            "member": totals[a.pk]["member"],
        }
        for a in page.object_list
    ]
    return render(
        request,
        "payroll/annuity_account_list.html",
        {"page": page, "rows": rows, "q": text},
    )


class LeaveForm(forms.Form):
    left_on = forms.DateField(
        label=gettext_lazy("离开日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("离开原因"), choices=LeavingReason.choices
    )
    note = forms.CharField(label=gettext_lazy("说明"), max_length=300, required=False)


@login_required
def annuity_account_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A member's statement; another member's account is a 404 for her."""
    account = get_object_or_404(
        annuity_account_list_visible_to(user=request.user), pk=pk
    )
    on = _date(request.GET.get("on"))
    statement = account_statement(account, on)
    open_membership = next(
        (m for m in statement.memberships if not m.leaving_reason), None
    )
    context = {
        "statement": statement,
        "on": on,
        "leave_form": LeaveForm(initial={"left_on": clock.today()})
        if _can_manage(request.user) and open_membership
        else None,
        "membership": open_membership,
        "can_reverse": _can_manage(request.user),
    }
    if request.GET.get("format") == "pdf":
        from core.documents.views import document_response
        from payroll.annuity.pdf import statement_issue

        document = statement_issue(account=account, on=on, issued_by=request.user)
        return document_response(request, document)
    return render(request, "payroll/annuity_account.html", context)


@login_required
@require_POST
def annuity_member_leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not _can_manage(request.user):
        raise PermissionDenied
    membership = get_object_or_404(
        AnnuityMembership.objects.filter(
            worker__in=annuity_account_list_visible_to(user=request.user).values(
                "worker"
            )
        ),
        pk=pk,
    )
    account = membership.worker.annuity_accounts.get(plan=membership.plan)
    form = LeaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写离开日期和原因。"))
        return redirect("payroll:annuity-account", pk=account.pk)
    try:
        forfeiture = postings.annuity_member_leave(
            membership=membership,
            left_on=form.cleaned_data["left_on"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        moved = forfeiture.to_common_account if forfeiture else 0
        messages.success(
            request,
            _("已办理离开；未归属的 %(amount)s 元转入企业账户。") % {"amount": moved},
        )
    return redirect("payroll:annuity-account", pk=account.pk)


@login_required
@require_POST
def annuity_entry_reverse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Correct a ledger entry by a reversing entry, with a written reason."""
    if not _can_manage(request.user):
        raise PermissionDenied
    entry = get_object_or_404(
        AnnuityEntry.objects.filter(
            account__in=annuity_account_list_visible_to(user=request.user)
        ),
        pk=pk,
    )
    try:
        postings.annuity_entry_reverse(
            entry=entry, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已记一笔冲正分录。"))
    return redirect("payroll:annuity-account", pk=entry.account_id)


@login_required
def annuity_target_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The average yearly contribution base per secretary by district."""
    _require_plan_reader(request)
    try:
        year = int(request.GET.get("year") or clock.today().year)
    except ValueError:
        year = clock.today().year
    rows, total, target = target_report(plan=_plan(), year=year, user=request.user)
    if request.GET.get("format") == "xlsx":
        headers = [
            _("区代码"),
            _("区"),
            _("成员人数"),
            _("年缴费基数合计"),
            _("人均年缴费基数"),
            _("年缴费合计（单位+个人）"),
            _("人均年缴费"),
            _("目标"),
            _("是否达到目标"),
        ]
        body = [
            [
                r.code or _("合计"),
                r.name,
                r.members,
                r.yearly_base,
                r.average_base,
                r.contributions,
                r.average_contribution,
                target,
                _("是") if r.meets_target else _("否"),
            ]
            for r in [*rows, total]
        ]
        workbook = exports.workbook_from_rows(_("年金缴费基数"), headers, body)
        return exports.xlsx_download(
            request,
            workbook,
            f"企业年金缴费基数-{year}.xlsx",
            what=_("企业年金缴费基数 %(year)s") % {"year": year},
        )
    return render(
        request,
        "payroll/annuity_target.html",
        {"rows": rows, "total": total, "target": target, "year": year},
    )


@login_required
def annuity_returns_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    from core.import_flow import import_flow
    from payroll.annuity.resources import AnnuityReturnResource

    if not _can_manage(request.user):
        raise PermissionDenied
    plan = _plan()
    return import_flow(
        request,
        key="payroll:annuity-returns",
        resource_factory=lambda: AnnuityReturnResource(plan=plan),
        title=_("导入企业年金年度投资收益"),
        template_url=reverse("payroll:annuity-returns-template"),
        done_url=reverse("payroll:annuity-home"),
    )


@login_required
def annuity_returns_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    from payroll.annuity.resources import AnnuityReturnResource

    if not _can_manage(request.user):
        raise PermissionDenied
    resource = AnnuityReturnResource(plan=_plan())
    dataset = resource.export(queryset=resource.get_queryset())
    return exports.xlsx_bytes_download(
        request, dataset.xlsx, "企业年金投资收益.xlsx", what=_("企业年金投资收益")
    )

"""Admin of the annuity: the legal caps (dated), plan versions (frozen once
used; rates that break the plan's caps are refused by the model's clean(),
rates or caps above the legal caps by the vesting formset), memberships (a change by hand needs
a written reason and goes through the service), bases; the ledger read-only."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin_scope import ScopedAdminMixin
from payroll.admin.common import FrozenWhenUsedAdmin, ReadOnlyAdmin
from payroll.annuity.fetch import legal_caps_in_force
from payroll.annuity.services.memberships import annuity_membership_set
from payroll.annuity.services.plans import NO_LEGAL_CAPS
from payroll.models import (
    AnnuityAccount,
    AnnuityBase,
    AnnuityEntry,
    AnnuityLegalCaps,
    AnnuityMembership,
    AnnuityMembershipChange,
    AnnuityPlan,
    AnnuityPlanVersion,
    AnnuityVestingStep,
)
from payroll.rules import annuity as rules


@admin.register(AnnuityPlan)
class AnnuityPlanAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


class VestingStepFormSet(forms.BaseInlineFormSet):
    """The steps and the version's rates must make valid plan terms (full
    vesting within 8 years, non-decreasing fractions, …) within the legal
    caps in force."""

    def clean(self):
        super().clean()
        steps = [
            (form.cleaned_data["years"], form.cleaned_data["fraction"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("years") is not None
            and form.cleaned_data.get("fraction") is not None
        ]
        try:
            terms = self.instance.terms(steps)
        except (ValueError, TypeError) as exc:
            raise ValidationError(
                _("方案条款无效：%(error)s") % {"error": exc}
            ) from exc
        if self.instance.effective_on is None:
            return
        # A plan cannot raise the legal caps (DOMAIN A8).
        legal = legal_caps_in_force(self.instance.effective_on)
        if legal is None:
            raise ValidationError(NO_LEGAL_CAPS % {"day": self.instance.effective_on})
        problems = rules.plan_legal_violations(terms, legal)
        if problems:
            raise ValidationError(problems)


class AnnuityVestingStepInline(admin.TabularInline):
    model = AnnuityVestingStep
    formset = VestingStepFormSet
    extra = 0

    def _open(self, obj):
        return obj is None or obj.used_at is None

    def has_add_permission(self, request, obj=None):
        return self._open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._open(obj) and super().has_delete_permission(request, obj)


@admin.register(AnnuityPlanVersion)
class AnnuityPlanVersionAdmin(FrozenWhenUsedAdmin):
    list_display = (
        "plan",
        "effective_on",
        "employer_rate",
        "member_rate",
        "target_yearly_base",
        "used_at",
    )
    readonly_fields = ("used_at",)
    inlines = [AnnuityVestingStepInline]


@admin.register(AnnuityLegalCaps)
class AnnuityLegalCapsAdmin(admin.ModelAdmin):
    """The law's caps, dated: a change is a new row from its date."""

    list_display = (
        "effective_on",
        "employer_rate",
        "total_rate",
        "max_credit_ratio",
        "source_note",
    )


class MembershipChangeInline(admin.TabularInline):
    model = AnnuityMembershipChange
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "action", "reason", "changes")

    def has_add_permission(self, request, obj=None):
        return False


class MembershipForm(forms.ModelForm):
    reason = forms.CharField(label=_("调整原因"), max_length=300)

    class Meta:
        model = AnnuityMembership
        fields = ("plan", "worker", "started_on", "ended_on", "is_excluded")


@admin.register(AnnuityMembership)
class AnnuityMembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = MembershipForm
    list_display = (
        "worker",
        "started_on",
        "ended_on",
        "is_manual",
        "is_excluded",
        "leaving_reason",
    )
    list_filter = ("is_manual", "is_excluded")
    list_select_related = ("worker",)
    raw_id_fields = ("worker",)
    inlines = [MembershipChangeInline]
    community_path = "worker__community"

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = annuity_membership_set(
            plan=data["plan"],
            worker=data["worker"],
            membership=obj if change else None,
            started_on=data["started_on"],
            ended_on=data["ended_on"],
            is_excluded=data["is_excluded"],
            reason=data["reason"],
            actor=request.user,
        )
        obj.pk = saved.pk


@admin.register(AnnuityBase)
class AnnuityBaseAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("worker", "year", "base", "source")
    list_select_related = ("worker",)
    raw_id_fields = ("worker",)
    community_path = "worker__community"


@admin.register(AnnuityAccount)
class AnnuityAccountAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    community_path = "worker__community"
    list_display = ("plan", "worker", "opened_on")
    list_select_related = ("plan", "worker")


@admin.register(AnnuityEntry)
class AnnuityEntryAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    community_path = "account__worker__community"
    list_display = ("account", "booked_on", "part", "kind", "amount", "note")
    list_filter = ("part", "kind")
    list_select_related = ("account__worker",)

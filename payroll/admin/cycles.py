"""Admin of payroll cycles (read-only once locked) and of the dated tables and
per-worker data they read."""

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from core.admin_scope import ScopedAdminMixin
from core.documents.downloads import LoggedExportMixin
from core.late_changes import late_change_notify
from payroll.admin.common import FrozenWhenUsedAdmin, ReadOnlyAdmin
from payroll.cycles.bases import contribution_base_limit_errors
from payroll.cycles.resources import (
    ContributionBaseResource,
    OpeningBalanceResource,
    TaxDeclarationResource,
    YearEndBonusResource,
)
from payroll.cycles.selectors import payroll_cycle_list_visible_to
from payroll.models import (
    BankFileLayout,
    ContributionBase,
    ContributionRates,
    CorrectionPolicy,
    OpeningBalance,
    PayrollCycle,
    Payslip,
    TaxBracket,
    TaxDeclaration,
    TaxTable,
    YearEndBonus,
)


@admin.register(BankFileLayout)
class BankFileLayoutAdmin(admin.ModelAdmin):
    """The transfer file's layout, dated: a new bank, a new row."""

    list_display = ("effective_on", "name", "columns", "control_row", "source_note")


@admin.register(ContributionRates)
class ContributionRatesAdmin(FrozenWhenUsedAdmin):
    list_display = (
        "effective_on",
        "si_base_floor",
        "si_base_ceiling",
        "hf_employee_rate",
        "used_at",
    )
    readonly_fields = ("used_at",)


class TaxBracketInline(admin.TabularInline):
    model = TaxBracket
    extra = 0

    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.used_at is None) and super().has_add_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.used_at is None) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.used_at is None) and super().has_delete_permission(
            request, obj
        )


@admin.register(TaxTable)
class TaxTableAdmin(FrozenWhenUsedAdmin):
    list_display = ("kind", "effective_on", "monthly_standard_deduction", "used_at")
    inlines = (TaxBracketInline,)
    readonly_fields = ("used_at",)


class ContributionBaseForm(forms.ModelForm):
    """A base typed by staff is refused outside the limits in force (A7)."""

    class Meta:
        model = ContributionBase
        fields = (
            "worker",
            "starts_on",
            "ends_on",
            "social_insurance_base",
            "housing_fund_base",
            "source",
            "params",
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        # Not yet valid: a field may be missing (None), which the check allows.
        instance = ContributionBase(  # type: ignore[misc]
            starts_on=cleaned.get("starts_on"),
            social_insurance_base=cleaned.get("social_insurance_base"),
            housing_fund_base=cleaned.get("housing_fund_base"),
        )
        for field, message in contribution_base_limit_errors(instance).items():
            self.add_error(field if field in self.fields else None, message)
        return cleaned


@admin.register(ContributionBase)
class ContributionBaseAdmin(
    ScopedAdminMixin, LoggedExportMixin, ImportExportMixin, admin.ModelAdmin
):
    community_path = "worker__community"
    form = ContributionBaseForm
    resource_classes = [ContributionBaseResource]
    list_display = (
        "worker",
        "starts_on",
        "ends_on",
        "social_insurance_base",
        "housing_fund_base",
        "source",
    )
    list_select_related = ("worker",)
    list_filter = ("starts_on", "source")
    search_fields = ("worker__full_name",)
    raw_id_fields = ("worker",)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        late_change_notify(request, worker_id=obj.worker_id, since=obj.starts_on)


@admin.register(TaxDeclaration)
class TaxDeclarationAdmin(
    ScopedAdminMixin, LoggedExportMixin, ImportExportMixin, admin.ModelAdmin
):
    community_path = "worker__community"
    resource_classes = [TaxDeclarationResource]
    list_display = (
        "worker",
        "year",
        "full_year_deduction_from_january",
        "counts_from_january",
    )
    list_select_related = ("worker",)
    list_filter = ("year",)
    search_fields = ("worker__full_name",)
    raw_id_fields = ("worker",)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}


@admin.register(YearEndBonus)
class YearEndBonusAdmin(
    ScopedAdminMixin, LoggedExportMixin, ImportExportMixin, admin.ModelAdmin
):
    community_path = "worker__community"
    resource_classes = [YearEndBonusResource]
    list_display = (
        "worker",
        "year",
        "month",
        "amount",
        "merge_into_comprehensive_income",
    )
    list_select_related = ("worker",)
    list_filter = ("year",)
    raw_id_fields = ("worker",)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}


@admin.register(PayrollCycle)
class PayrollCycleAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ("__str__", "status", "computed_by", "approved_by", "locked_at")
    list_filter = ("status", "year")
    list_select_related = ("district", "computed_by", "approved_by")

    def get_queryset(self, request):
        """The cycles the app shows the user (a district's or the city's)."""
        return payroll_cycle_list_visible_to(user=request.user)


@admin.register(Payslip)
class PayslipAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ("worker", "year", "month", "gross", "deductions", "net")
    list_select_related = ("worker",)
    list_filter = ("year", "month")
    search_fields = ("worker__full_name",)
    # The stored JSON (lines, year-to-date tax figures) is shown as people
    # read a payslip, not as raw data.
    readonly_fields = [
        *(f.name for f in Payslip._meta.fields if f.name not in ("lines", "tax_ytd")),
        "lines_table",
        "tax_ytd_table",
    ]

    @admin.display(description=_("明细"))
    def lines_table(self, payslip):
        from core.models import Post
        from payroll.explain import sentences

        posts = {p.code: p.label for p in Post.objects.all()}
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("项目"),
            _("金额"),
            _("计算依据"),
            format_html_join(
                "",
                "<tr><td>{}</td><td style='text-align:right'>{}</td><td>{}</td></tr>",
                (
                    (
                        sentences.line_name(line.code),
                        f"{line.amount:,.2f}",
                        sentences.derivation(line, posts),
                    )
                    for line in payslip.pay_lines()
                ),
            ),
        )

    @admin.display(description=_("累计预扣数据"))
    def tax_ytd_table(self, payslip):
        return (
            format_html_join(
                "", "<div>{}：{}</div>", sorted((payslip.tax_ytd or {}).items())
            )
            or "—"
        )


@admin.register(CorrectionPolicy)
class CorrectionPolicyAdmin(admin.ModelAdmin):
    """How far back corrections reach (DOMAIN A11), dated."""

    list_display = ("effective_on", "previous_year_months", "source_note")


@admin.register(OpeningBalance)
class OpeningBalanceAdmin(ScopedAdminMixin, ImportExportMixin, admin.ModelAdmin):
    community_path = "worker__community"
    resource_classes = [OpeningBalanceResource]
    list_display = (
        "worker",
        "year",
        "as_of_month",
        "gross_income",
        "tax_withheld",
        "months_employed",
        "floor_total",
    )
    list_select_related = ("worker",)
    list_filter = ("year",)
    search_fields = ("worker__full_name",)
    raw_id_fields = ("worker",)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

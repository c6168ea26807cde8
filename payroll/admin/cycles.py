"""Admin of payroll cycles (read-only once locked) and of the dated tables and
per-worker data they read."""

from django.contrib import admin
from import_export.admin import ImportExportMixin

from core.admin_scope import ScopedAdminMixin
from payroll.admin.common import FrozenWhenUsedAdmin, ReadOnlyAdmin
from payroll.cycles.resources import (
    ContributionBaseResource,
    TaxDeclarationResource,
    YearEndBonusResource,
)
from payroll.cycles.selectors import payroll_cycle_list_visible_to
from payroll.models import (
    ContributionBase,
    ContributionRates,
    PayrollCycle,
    Payslip,
    TaxBracket,
    TaxDeclaration,
    TaxTable,
    YearEndBonus,
)


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


@admin.register(ContributionBase)
class ContributionBaseAdmin(ScopedAdminMixin, ImportExportMixin, admin.ModelAdmin):
    community_path = "worker__community"
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


@admin.register(TaxDeclaration)
class TaxDeclarationAdmin(ScopedAdminMixin, ImportExportMixin, admin.ModelAdmin):
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
class YearEndBonusAdmin(ScopedAdminMixin, ImportExportMixin, admin.ModelAdmin):
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
    readonly_fields = [f.name for f in Payslip._meta.fields]

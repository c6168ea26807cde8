"""Admin of the standard amounts of special additional deductions (a dated
table staff edit) and, read-only, of the workers' declarations: they change
only through their services (declare, approve, return)."""

from django.contrib import admin

from core.admin_scope import ScopedAdminMixin
from payroll.admin.common import ReadOnlyAdmin
from payroll.models import DeductionClaim, DeductionStandard


@admin.register(DeductionStandard)
class DeductionStandardAdmin(admin.ModelAdmin):
    list_display = (
        "category",
        "variant",
        "label",
        "monthly_amount",
        "per_child",
        "cap",
        "effective_on",
    )
    list_filter = ("category",)


@admin.register(DeductionClaim)
class DeductionClaimAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    community_path = "worker__community"
    list_display = (
        "worker",
        "year",
        "category",
        "monthly_amount",
        "status",
        "submitted_at",
        "reviewed_by",
    )
    list_filter = ("status", "year", "category")
    list_select_related = ("worker", "reviewed_by")
    search_fields = ("worker__full_name",)

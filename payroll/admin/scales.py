"""Admin of pay-scale versions: editable until a payroll uses them."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from payroll.models import (
    ScaleCertificateLevels,
    ScaleEducationYears,
    ScaleGradeCoefficient,
    ScaleLevelPay,
    ScaleParameter,
    ScalePostAllowance,
    ScaleStarAllowance,
    ScaleVersion,
)
from payroll.scales.services import (
    scale_row_delete,
    scale_row_save,
    scale_version_adopt,
    scale_version_save,
)


class FrozenWhenUsedInline(admin.TabularInline):
    extra = 0

    def _used(self, obj):
        return obj is not None and obj.is_used

    def has_add_permission(self, request, obj=None):
        return not self._used(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._used(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._used(obj) and super().has_delete_permission(request, obj)


class LevelPayInline(FrozenWhenUsedInline):
    model = ScaleLevelPay


class PostAllowanceInline(FrozenWhenUsedInline):
    model = ScalePostAllowance


class GradeCoefficientInline(FrozenWhenUsedInline):
    model = ScaleGradeCoefficient


class StarAllowanceInline(FrozenWhenUsedInline):
    model = ScaleStarAllowance


class EducationYearsInline(FrozenWhenUsedInline):
    model = ScaleEducationYears


class CertificateLevelsInline(FrozenWhenUsedInline):
    model = ScaleCertificateLevels


class ParameterInline(FrozenWhenUsedInline):
    model = ScaleParameter


@admin.register(ScaleVersion)
class ScaleVersionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "effective_on", "status", "used_at")
    list_filter = ("status",)
    readonly_fields = ("status", "adopted_at", "used_at", "based_on", "created_at")
    inlines = (
        LevelPayInline,
        PostAllowanceInline,
        GradeCoefficientInline,
        StarAllowanceInline,
        EducationYearsInline,
        CertificateLevelsInline,
        ParameterInline,
    )
    actions = ("adopt_selected",)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_used:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_used:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        scale_version_save(version=obj)

    def save_formset(self, request, form, formset, change):
        rows = formset.save(commit=False)
        for row in formset.deleted_objects:
            scale_row_delete(row=row)
        for row in rows:
            scale_row_save(row=row)

    @admin.action(description=_("启用所选版本"))
    def adopt_selected(self, request, queryset):
        for version in queryset:
            try:
                scale_version_adopt(version=version)
            except (ValidationError, LookupError) as exc:
                messages.error(request, f"{version.code}: {exc}")

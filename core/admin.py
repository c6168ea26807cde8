from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from core import services
from core.admin_scope import ScopedAdminMixin, ScopedChoicesMixin
from core.models import (
    CentreStandard,
    ChangeLog,
    City,
    Community,
    District,
    Post,
    Street,
    User,
    Worker,
    WorkerCertificate,
    WorkerPosition,
)
from core.rules import mask_account, mask_citizen_id
from core.selectors import (
    change_log_visible_to,
    user_sees_full_bank,
    user_sees_full_id,
)


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(District)
class DistrictAdmin(ScopedAdminMixin, admin.ModelAdmin):
    community_path = "streets__communities"
    list_display = ("code", "name", "city")
    list_select_related = ("city",)

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()


@admin.register(Street)
class StreetAdmin(ScopedAdminMixin, admin.ModelAdmin):
    community_path = "communities"
    list_display = ("code", "name", "district")
    list_select_related = ("district",)
    list_filter = ("district",)

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()


@admin.register(Community)
class CommunityAdmin(ScopedAdminMixin, admin.ModelAdmin):
    community_path = ""
    list_display = ("code", "name", "street", "households", "centre_area")
    list_select_related = ("street",)
    list_filter = ("street__district",)
    search_fields = ("code", "name")


@admin.register(CentreStandard)
class CentreStandardAdmin(admin.ModelAdmin):
    list_display = (
        "effective_on",
        "area_per_100_households",
        "minimum_total_area",
        "source_note",
    )


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "lowest_level", "highest_level", "sort_order")


class WorkerPositionInline(ScopedChoicesMixin, admin.TabularInline):
    model = WorkerPosition
    extra = 0


class WorkerCertificateInline(ScopedChoicesMixin, admin.TabularInline):
    model = WorkerCertificate
    extra = 0


@admin.register(Worker)
class WorkerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("full_name", "masked_id", "community", "post", "level", "status")
    list_select_related = ("community", "post")
    list_filter = ("status", "post", "community__street__district")
    search_fields = ("full_name", "id_number")
    autocomplete_fields = ("community",)
    inlines = (WorkerPositionInline, WorkerCertificateInline)
    readonly_fields = ("gender", "birth_date")

    @admin.display(description=_("身份证号"))
    def masked_id(self, worker):
        return mask_citizen_id(worker.id_number)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None and not user_sees_full_bank(request.user):
            fields = [f for f in fields if f != "bank_account"] + [
                "bank_account_masked"
            ]
        if obj is not None and not user_sees_full_id(request.user):
            fields = [f for f in fields if f != "id_number"] + ["id_number_masked"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "bank_account_masked", "id_number_masked"]

    @admin.display(description=_("银行账号"))
    def bank_account_masked(self, worker):
        return mask_account(worker.bank_account)

    @admin.display(description=_("身份证号"))
    def id_number_masked(self, worker):
        return mask_citizen_id(worker.id_number)

    def save_model(self, request, obj, form, change):
        services.worker_save(actor=request.user, worker=obj)


@admin.register(ChangeLog)
class ChangeLogAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "model", "object_repr", "action", "note")
    list_filter = ("model", "action")
    search_fields = ("object_repr",)
    readonly_fields = [f.name for f in ChangeLog._meta.fields]

    def get_queryset(self, request):
        return change_log_visible_to(user=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "role", "district", "street", "community")
    list_filter = ("role", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("角色与范围"), {"fields": ("role", "district", "street", "community")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("角色与范围"), {"fields": ("role", "district", "street", "community")}),
    )

    def has_module_permission(self, request):
        user = request.user
        return user.is_active and (
            user.is_superuser or getattr(user, "role", "") == "admin"
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def save_model(self, request, obj, form, change):
        services.user_save(actor=request.user, user=obj)


admin.site.site_header = _("社区工作者薪酬与为民服务资金管理系统")
admin.site.site_title = _("管理后台")

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from core import history, services
from core.admin_scope import ScopedAdminMixin, ScopedChoicesMixin
from core.late_changes import changed_dates_since, late_change_notify
from core.models import (
    CentreStandard,
    ChangeLog,
    City,
    Community,
    District,
    DownloadLog,
    IssuedDocument,
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
    download_log_list_visible_to,
    issued_document_list_visible_to,
    user_reads_download_log,
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
        before = (
            Worker.objects.filter(pk=obj.pk).values("joined_on", "left_on").first()
            if obj.pk
            else None
        )
        services.worker_save(actor=request.user, worker=obj)
        if before:
            late_change_notify(
                request, worker_id=obj.pk, since=changed_dates_since(before, obj)
            )


class ChangeLogModelFilter(admin.SimpleListFilter):
    """Filter the history by model, named as users know it ("用户")."""

    title = _("对象类型")
    parameter_name = "model"

    def lookups(self, request, model_admin):
        labels = model_admin.get_queryset(request).values_list("model", flat=True)
        return sorted(
            {(label, ChangeLog(model=label).model_verbose_name) for label in labels},
            key=lambda pair: str(pair[1]),
        )

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(model=self.value())
        return queryset


@admin.register(ChangeLog)
class ChangeLogAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "model_name", "object_repr", "action", "note")
    list_filter = (ChangeLogModelFilter, "action")
    search_fields = ("object_repr",)
    fields = (
        "at",
        "actor",
        "model_name",
        "object_repr",
        "action",
        "changes_table",
        "note",
    )
    readonly_fields = fields

    @admin.display(description=_("对象类型"), ordering="model")
    def model_name(self, entry):
        return entry.model_verbose_name

    @admin.display(description=_("变更"))
    def changes_table(self, entry):
        """The changes as "field: old → new" rows, not the stored JSON."""
        from django.apps import apps

        try:
            model = apps.get_model(entry.model)
        except (LookupError, ValueError):
            model = None
        rows = (
            history.labelled_changes(model, entry.changes)
            if model is not None
            else [(name, *values) for name, values in (entry.changes or {}).items()]
        )
        if not rows:
            return "—"
        return format_html_join(
            "",
            "<div>{}：{} → {}</div>",
            (
                (
                    label,
                    old if old not in (None, "") else "—",
                    new if new not in (None, "") else "—",
                )
                for label, old, new, *_rest in rows
            ),
        )

    def get_queryset(self, request):
        return change_log_visible_to(user=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


SCOPE_FIELDS = ("role", "district", "street", "community", "worker")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Users by name, role and scope. Permissions follow the role
    (core.permissions.RoleBackend), so Django's groups and per-user
    permissions are not offered; the scope must nest (User.clean)."""

    list_display = (
        "username",
        "first_name",
        "role",
        "district",
        "street",
        "community",
        "is_active",
    )
    list_filter = ("role", "is_active")
    search_fields = ("username", "first_name")
    autocomplete_fields = ("community",)
    raw_id_fields = ("worker",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("姓名与联系方式"), {"fields": ("first_name", "email")}),
        (_("角色与范围"), {"fields": SCOPE_FIELDS}),
        (
            _("状态"),
            {
                "fields": (
                    "is_active",
                    "must_change_password",
                    "last_login",
                    "date_joined",
                )
            },
        ),
    )
    raw_id_fields = ("worker",)
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "first_name", "password1", "password2"),
            },
        ),
        (_("角色与范围"), {"fields": SCOPE_FIELDS}),
    )
    readonly_fields = ("last_login", "date_joined")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "first_name" and field is not None:
            field.label = _("姓名")
            field.required = True
        return field

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


class ReadOnlyRecordAdmin(admin.ModelAdmin):
    """Records nobody edits in the admin: no add, no change, no delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyRecordAdmin):
    list_display = ("number", "kind", "title", "year", "month", "issued_at")
    list_filter = ("kind", "year")
    list_select_related = ("community",)
    search_fields = ("number", "code", "title")

    def get_queryset(self, request):
        return issued_document_list_visible_to(user=request.user)


@admin.register(DownloadLog)
class DownloadLogAdmin(ReadOnlyRecordAdmin):
    list_display = ("at", "user", "format", "what", "filename", "client_address")
    list_filter = ("format",)
    list_select_related = ("user",)
    search_fields = ("what", "filename", "user__username")

    def get_queryset(self, request):
        return download_log_list_visible_to(user=request.user)

    def has_view_permission(self, request, obj=None):
        # Only administrators and auditors read the download log (as on
        # its page, core:download-log).
        return user_reads_download_log(request.user)

    def has_module_permission(self, request):
        return user_reads_download_log(request.user)

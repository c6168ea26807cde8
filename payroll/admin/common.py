"""Admin bases shared by the payroll admin modules: dated tables frozen once used,
and read-only records."""

from django.contrib import admin


class FrozenWhenUsedAdmin(admin.ModelAdmin):
    """A dated table becomes read-only once a cycle has used it."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.used_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.used_at is not None:
            return False
        return super().has_delete_permission(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Cycles change only through their services (start, approve, lock)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

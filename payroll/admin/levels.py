"""Admin of the level history."""

from django.contrib import admin

from payroll.models import (
    LevelChange,
)


@admin.register(LevelChange)
class LevelChangeAdmin(admin.ModelAdmin):
    list_display = (
        "worker",
        "effective_on",
        "old_level",
        "new_level",
        "computed_level",
        "reason",
        "actor",
    )
    list_select_related = ("worker", "actor")
    list_filter = ("reason",)
    search_fields = ("worker__full_name", "worker__id_number")
    readonly_fields = [f.name for f in LevelChange._meta.fields]

    def get_queryset(self, request):
        from core.selectors import scope_filter

        return scope_filter(
            super().get_queryset(request), request.user, "worker__community"
        )

    def has_add_permission(self, request):
        return False  # placements go through the placement page (services)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

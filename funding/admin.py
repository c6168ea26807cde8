"""Admin: reference rows are edited here; fund rows are read-only (services
write them) and limited to the user's scope."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from core.admin_scope import ScopedAdminMixin
from core.money import format_money
from funding.models import (
    BudgetChange,
    Category,
    Expense,
    ExpenseClass,
    ForbiddenUse,
    FundPolicy,
    FundYear,
    Project,
    ProjectEvent,
    Transition,
)
from funding.resources import ExpenseClassResource

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def money_column(field: str, label: StrOrPromise) -> Callable[[models.Model], str]:
    """A list column showing an amount as 1,234,567.89, right-aligned."""

    @admin.display(description=label, ordering=field)
    def column(obj: models.Model) -> str:
        return format_money(getattr(obj, field))

    column.__name__ = f"{field}_yuan"
    return column


@admin.register(FundPolicy)
class FundPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "effective_on",
        money_column("minimum_allocation", _("每年最低拨款（元）")),
        money_column(
            "district_approval_threshold", _("需区级审批的项目金额（超过，元）")
        ),
        "notice_days",
        "carry_over_allowed",
    )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "sort_order", "is_active")


@admin.register(ForbiddenUse)
class ForbiddenUseAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "keywords", "is_active")


@admin.register(ExpenseClass)
class ExpenseClassAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [ExpenseClassResource]
    list_display = (
        "code",
        "name",
        "is_allowed",
        "rule",
        "effective_on",
        "ends_on",
        "sort_order",
    )
    list_filter = ("is_allowed",)


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    list_display = (
        "from_state",
        "to_state",
        "role",
        "label",
        "requires_district",
        "requires_meeting",
        "requires_notice_over",
        "starts_notice",
        "reserves_money",
        "requires_comment",
        "checks_spending",
        "requires_expense",
    )
    list_filter = ("role", "from_state")


class ReadOnlyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundYear)
class FundYearAdmin(ReadOnlyAdmin):
    list_display = (
        "community",
        "year",
        money_column("allocation", _("年度拨款")),
        money_column("carried_in", _("上年结转")),
        "status",
    )
    list_filter = ("year", "status")
    list_select_related = ("community",)


class ProjectEventInline(admin.TabularInline):
    model = ProjectEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_state", "to_state", "actor", "at", "comment")


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    community_path = "fund_year__community"
    list_display = (
        "title",
        "fund_year",
        "category",
        money_column("estimated_cost", _("预算金额")),
        "state",
    )
    list_filter = ("state", "category")
    list_select_related = ("fund_year__community", "category")
    inlines = [ProjectEventInline]


@admin.register(Expense)
class ExpenseAdmin(ReadOnlyAdmin):
    community_path = "project__fund_year__community"
    list_display = (
        "project",
        "paid_on",
        money_column("amount", _("金额")),
        "payee",
        "classification",
    )
    list_filter = ("classification",)
    list_select_related = ("project__fund_year__community",)


@admin.register(BudgetChange)
class BudgetChangeAdmin(ReadOnlyAdmin):
    community_path = "project__fund_year__community"
    list_display = (
        "project",
        money_column("previous_amount", _("原批准金额")),
        money_column("new_amount", _("新批准金额")),
        "status",
        "proposed_at",
    )
    list_filter = ("status",)
    list_select_related = ("project__fund_year__community",)

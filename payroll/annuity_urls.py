from django.urls import path

from payroll import annuity_views

urlpatterns = [
    path("annuity/", annuity_views.annuity_home, name="annuity-home"),
    path(
        "annuity/accounts/",
        annuity_views.annuity_account_list,
        name="annuity-accounts",
    ),
    path(
        "annuity/accounts/<int:pk>/",
        annuity_views.annuity_account_detail,
        name="annuity-account",
    ),
    path(
        "annuity/memberships/<int:pk>/leave/",
        annuity_views.annuity_member_leave,
        name="annuity-leave",
    ),
    path(
        "annuity/entries/<int:pk>/reverse/",
        annuity_views.annuity_entry_reverse,
        name="annuity-entry-reverse",
    ),
    path("annuity/target/", annuity_views.annuity_target_report, name="annuity-target"),
    path(
        "annuity/returns/import/",
        annuity_views.annuity_returns_import,
        name="annuity-returns-import",
    ),
    path(
        "annuity/returns/template/",
        annuity_views.annuity_returns_template,
        name="annuity-returns-template",
    ),
]

from django.urls import path

from payroll.annuity import views

urlpatterns = [
    path("annuity/", views.annuity_home, name="annuity-home"),
    path(
        "annuity/accounts/",
        views.annuity_account_list,
        name="annuity-accounts",
    ),
    path(
        "annuity/accounts/<int:pk>/",
        views.annuity_account_detail,
        name="annuity-account",
    ),
    path(
        "annuity/memberships/<int:pk>/leave/",
        views.annuity_member_leave,
        name="annuity-leave",
    ),
    path(
        "annuity/entries/<int:pk>/reverse/",
        views.annuity_entry_reverse,
        name="annuity-entry-reverse",
    ),
    path("annuity/target/", views.annuity_target_report, name="annuity-target"),
    path(
        "annuity/returns/import/",
        views.annuity_returns_import,
        name="annuity-returns-import",
    ),
    path(
        "annuity/returns/template/",
        views.annuity_returns_template,
        name="annuity-returns-template",
    ),
]

from django.urls import path

from funding import views

app_name = "funding"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("years/", views.fund_year_list, name="fund-year-list"),
    path("years/new/", views.fund_year_create, name="fund-year-create"),
    path("years/<int:pk>/", views.fund_year_detail, name="fund-year-detail"),
    path("years/<int:pk>/close/", views.fund_year_close, name="fund-year-close"),
    path(
        "years/<int:pk>/statement.pdf",
        views.fund_year_statement,
        name="fund-year-statement",
    ),
    path("years/<int:pk>/propose/", views.project_create, name="project-create"),
    path("years/import/", views.allocation_import, name="allocation-import"),
    path("years/template/", views.allocation_template, name="allocation-template"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path(
        "projects/<int:pk>/transition/",
        views.project_transition,
        name="project-transition",
    ),
    path("projects/<int:pk>/meeting/", views.meeting_create, name="meeting-create"),
    path(
        "projects/<int:pk>/objection/",
        views.objection_create,
        name="objection-create",
    ),
    path(
        "objections/<int:pk>/answer/",
        views.objection_answer,
        name="objection-answer",
    ),
    path("projects/<int:pk>/expense/", views.expense_create, name="expense-create"),
    path(
        "expenses/<int:pk>/reverse/",
        views.expense_reverse,
        name="expense-reverse",
    ),
    path(
        "projects/<int:pk>/budget-change/",
        views.budget_change_create,
        name="budget-change-create",
    ),
    path(
        "budget-changes/<int:pk>/decide/",
        views.budget_change_decide,
        name="budget-change-decide",
    ),
    path(
        "budget-changes/<int:pk>/withdraw/",
        views.budget_change_withdraw,
        name="budget-change-withdraw",
    ),
    path(
        "projects/<int:pk>/carry-forward/",
        views.carry_forward_request,
        name="carry-forward-request",
    ),
    path(
        "projects/<int:pk>/carry-forward/decide/",
        views.carry_forward_decide,
        name="carry-forward-decide",
    ),
    path("files/<int:pk>/", views.stored_file_download, name="file-download"),
    path("report/", views.report, name="report"),
    path("report/export/", views.report_export, name="report-export"),
    path("public/<str:code>/", views.public_community, name="public-community"),
]

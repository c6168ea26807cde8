from django.urls import path

from payroll.cycles import views

urlpatterns = [
    path("cycles/", views.cycle_list, name="cycle-list"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle-detail"),
    path("cycles/<int:pk>/progress/", views.cycle_progress, name="cycle-progress"),
    path(
        "cycles/<int:pk>/register.xlsx",
        views.cycle_register,
        name="cycle-register",
    ),
    path("cycles/<int:pk>/costs.xlsx", views.cycle_costs, name="cycle-costs"),
    path("cycles/<int:pk>/totals.xlsx", views.cycle_totals, name="cycle-totals"),
    path("cycles/<int:pk>/bank.csv", views.cycle_bank_file, name="cycle-bank-file"),
    path("cycles/<int:pk>/<str:action>/", views.cycle_action, name="cycle-action"),
    path("payslips/<int:pk>/", views.payslip_detail, name="payslip-detail"),
    path("tax-summary/", views.tax_summary, name="tax-summary"),
    path(
        "data/<str:table>/import/",
        views.payroll_data_import,
        name="payroll-data-import",
    ),
    path(
        "data/<str:table>/export/",
        views.payroll_data_template,
        name="payroll-data-template",
    ),
]

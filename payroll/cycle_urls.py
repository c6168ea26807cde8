from django.urls import path

from payroll import cycle_views

urlpatterns = [
    path("cycles/", cycle_views.cycle_list, name="cycle-list"),
    path("cycles/<int:pk>/", cycle_views.cycle_detail, name="cycle-detail"),
    path(
        "cycles/<int:pk>/progress/", cycle_views.cycle_progress, name="cycle-progress"
    ),
    path(
        "cycles/<int:pk>/register.xlsx",
        cycle_views.cycle_register,
        name="cycle-register",
    ),
    path("cycles/<int:pk>/costs.xlsx", cycle_views.cycle_costs, name="cycle-costs"),
    path("cycles/<int:pk>/totals.xlsx", cycle_views.cycle_totals, name="cycle-totals"),
    path(
        "cycles/<int:pk>/bank.csv", cycle_views.cycle_bank_file, name="cycle-bank-file"
    ),
    path(
        "cycles/<int:pk>/<str:action>/", cycle_views.cycle_action, name="cycle-action"
    ),
    path("payslips/<int:pk>/", cycle_views.payslip_detail, name="payslip-detail"),
    path("tax-summary/", cycle_views.tax_summary, name="tax-summary"),
    path(
        "data/<str:table>/import/",
        cycle_views.payroll_data_import,
        name="payroll-data-import",
    ),
    path(
        "data/<str:table>/export/",
        cycle_views.payroll_data_template,
        name="payroll-data-template",
    ),
]

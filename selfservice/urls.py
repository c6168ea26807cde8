from django.urls import path

from selfservice import views

app_name = "selfservice"

urlpatterns = [
    path("", views.home, name="home"),
    path("payslips/<int:pk>/", views.payslip_detail, name="payslip"),
    path("statement/", views.year_statement, name="statement"),
    path("statement/<int:year>/", views.year_statement, name="statement-year"),
    path("level/", views.level_history, name="level"),
    path("ratings/", views.ratings, name="ratings"),
    path("annuity/", views.annuity, name="annuity"),
    path("declarations/", views.declarations, name="declarations"),
    path(
        "declarations/submit/",
        views.declaration_submit,
        name="declaration-submit",
    ),
    path(
        "declarations/<int:pk>/withdraw/",
        views.declaration_withdraw,
        name="declaration-withdraw",
    ),
    path("profile/", views.profile, name="profile"),
    path("profile/reveal/", views.profile_reveal, name="profile-reveal"),
]

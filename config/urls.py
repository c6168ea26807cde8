from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import account_views, login_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        login_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        login_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("me/", include("selfservice.urls")),
    path("accounts/2fa/setup/", account_views.twofactor_setup, name="twofactor-setup"),
    path(
        "accounts/2fa/verify/", account_views.twofactor_verify, name="twofactor-verify"
    ),
    path("payroll/", include("payroll.urls")),
    path("ratings/", include("ratings.urls")),
    path("funding/", include("funding.urls")),
    path("", include("core.urls")),
]

handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"

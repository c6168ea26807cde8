from django.urls import path

from core import import_views, login_views, user_views, views, worker_views
from core.documents.urls import urlpatterns as document_urls

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("workers/", views.worker_list, name="worker-list"),
    path("workers/new/", worker_views.worker_create, name="worker-create"),
    path("workers/<int:pk>/", views.worker_detail, name="worker-detail"),
    path("workers/<int:pk>/edit/", worker_views.worker_edit, name="worker-edit"),
    path("workers/<int:pk>/leave/", worker_views.worker_leave, name="worker-leave"),
    path("communities/", views.community_list, name="community-list"),
    path("roster/import/", views.roster_import, name="roster-import"),
    path("imports/<int:pk>/", import_views.import_job_detail, name="import-job"),
    path(
        "imports/<int:pk>/progress/",
        import_views.import_job_progress,
        name="import-job-progress",
    ),
    path("roster/template/", views.roster_template, name="roster-template"),
    path("roster/export/", views.roster_export, name="roster-export"),
    path("logins/", login_views.worker_logins, name="worker-logins"),
    path(
        "logins/download.xlsx",
        login_views.worker_logins_download,
        name="worker-logins-download",
    ),
    path(
        "workers/<int:pk>/login/",
        login_views.worker_login_issue_one,
        name="worker-login-issue",
    ),
    path("users/", user_views.user_list, name="user-list"),
    path("users/new/", user_views.user_create, name="user-create"),
    path("users/<int:pk>/", user_views.user_edit, name="user-edit"),
    path("users/<int:pk>/password/", user_views.user_password, name="user-password"),
    *document_urls,
]

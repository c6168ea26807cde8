from django.urls import path

from core.documents import views

# Included in core's urls (namespace "core"): /verify/<code>/ is public.
urlpatterns = [
    path("verify/<str:code>/", views.verify, name="verify"),
    path("desk/", views.desk, name="desk"),
    path("documents/", views.document_list, name="document-list"),
    path(
        "documents/download/",
        views.document_list_download,
        name="document-list-download",
    ),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
    path("documents/batches/start/", views.batch_start, name="batch-start"),
    path("documents/batches/<int:pk>/", views.batch_detail, name="batch-detail"),
    path("documents/batches/<int:pk>/resume/", views.batch_resume, name="batch-resume"),
    path(
        "documents/batches/<int:pk>/download/",
        views.batch_download,
        name="batch-download",
    ),
    path("downloads/", views.download_log_list, name="download-log"),
    path("downloads/export/", views.download_log_export, name="download-log-export"),
]

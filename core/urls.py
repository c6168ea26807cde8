from django.urls import path

from core import views
from core.documents.urls import urlpatterns as document_urls

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("workers/", views.worker_list, name="worker-list"),
    path("workers/<int:pk>/", views.worker_detail, name="worker-detail"),
    path("communities/", views.community_list, name="community-list"),
    path("roster/import/", views.roster_import, name="roster-import"),
    path("roster/template/", views.roster_template, name="roster-template"),
    path("roster/export/", views.roster_export, name="roster-export"),
    *document_urls,
]

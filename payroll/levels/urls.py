from django.urls import path

from payroll.levels import views

urlpatterns = [
    path("levels/import/", views.level_import, name="level-import"),
    path("levels/template/", views.level_template, name="level-template"),
    path(
        "workers/<int:pk>/placement/",
        views.worker_placement,
        name="worker-placement",
    ),
    path(
        "workers/<int:pk>/post/",
        views.worker_post_change,
        name="worker-post-change",
    ),
]

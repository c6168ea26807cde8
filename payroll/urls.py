from django.urls import path

from payroll import views

app_name = "payroll"

urlpatterns = [
    path("scales/", views.scale_list, name="scale-list"),
    path("scales/<int:pk>/", views.scale_detail, name="scale-detail"),
    path("scales/<int:pk>/export/", views.scale_export, name="scale-export"),
    path(
        "scales/<int:pk>/import/<str:table>/",
        views.scale_import,
        name="scale-import",
    ),
    path("scales/<int:pk>/copy/", views.scale_copy, name="scale-copy"),
    path("scales/<int:pk>/adopt/", views.scale_adopt, name="scale-adopt"),
    path(
        "scales/<int:pk>/indexation/",
        views.indexation_preview,
        name="indexation-preview",
    ),
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

from payroll.cycle_urls import urlpatterns as cycle_urlpatterns  # noqa: E402

urlpatterns += cycle_urlpatterns

from payroll.annuity_urls import urlpatterns as annuity_urlpatterns  # noqa: E402

urlpatterns += annuity_urlpatterns

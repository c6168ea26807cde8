from django.urls import path

from payroll.scales import views

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
]

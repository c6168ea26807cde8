from django.urls import path

from ratings import views

app_name = "ratings"

urlpatterns = [
    path("grades/", views.grade_list, name="grade-list"),
    path("grades/new/", views.grade_record, name="grade-record"),
    path("grades/grid/", views.grade_grid, name="grade-grid"),
    path("stars/new/", views.star_record, name="star-record"),
    path("grades/import/", views.grade_import, name="grade-import"),
    path("grades/template/", views.grade_template, name="grade-template"),
    path("grades/export/", views.grade_export, name="grade-export"),
    path("stars/import/", views.star_import, name="star-import"),
    path("stars/template/", views.star_template, name="star-template"),
]

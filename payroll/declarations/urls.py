from django.urls import path

from payroll.declarations import views

urlpatterns = [
    path(
        "declarations/",
        views.declaration_review_list,
        name="declaration-review-list",
    ),
    path(
        "declarations/<int:pk>/<str:action>/",
        views.declaration_review,
        name="declaration-review",
    ),
]

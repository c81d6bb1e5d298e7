"""The unit status board, under ``/units/``."""

from django.urls import path

from saqshy.incidents import views

app_name = "units"

urlpatterns = [
    path("", views.unit_board, name="board"),
    path("<int:pk>/status/", views.unit_status, name="status"),
]

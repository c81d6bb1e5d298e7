from django.urls import path

from saqshy.trips import views

app_name = "trips"

urlpatterns = [
    path("", views.trip_list, name="list"),
    path("new/", views.trip_create, name="create"),
    path("import/", views.trip_import, name="import"),
    path("<int:pk>/", views.trip_detail, name="detail"),
    path("<int:pk>/edit/", views.trip_edit, name="edit"),
    path("<int:pk>/escort/", views.trip_escort, name="escort"),
    path("<int:pk>/<slug:action>/", views.trip_action, name="action"),
]

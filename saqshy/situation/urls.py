from django.urls import path

from saqshy.situation import views

app_name = "situation"

urlpatterns = [
    path("", views.situation_map, name="map"),
    path("tiles/<int:z>/<int:x>/<int:y>.mvt", views.tile, name="tile"),
]

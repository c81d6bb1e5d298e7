from django.urls import path
from django.views.generic import RedirectView

from saqshy.equipment import views

app_name = "equipment"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="equipment:hydrant-list"), name="index"),
    path("hydrants/", views.hydrant_list, name="hydrant-list"),
    path("hydrants/new/", views.hydrant_create, name="hydrant-create"),
    path("hydrants/<int:pk>/", views.hydrant_detail, name="hydrant-detail"),
    path("hydrants/<int:pk>/edit/", views.hydrant_edit, name="hydrant-edit"),
    path("hydrants/<int:pk>/check/", views.hydrant_check, name="hydrant-check"),
    path("facility/<int:pk>/", views.facility_equipment, name="facility"),
    path("facility/<int:pk>/add/", views.equipment_add, name="equipment-add"),
    path("items/<int:pk>/edit/", views.equipment_edit, name="equipment-edit"),
    path("items/<int:pk>/check/", views.equipment_check, name="equipment-check"),
]

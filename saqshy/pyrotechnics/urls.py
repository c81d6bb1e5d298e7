from django.urls import path

from saqshy.pyrotechnics import views

app_name = "pyrotechnics"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("outlets/", views.outlet_list, name="outlet-list"),
    path("outlets/new/", views.outlet_create, name="outlet-create"),
    path("outlets/<int:pk>/", views.outlet_detail, name="outlet-detail"),
    path("outlets/<int:pk>/edit/", views.outlet_edit, name="outlet-edit"),
    path("raids/", views.raid_list, name="raid-list"),
    path("raids/new/", views.raid_create, name="raid-create"),
    path("raids/<int:pk>/", views.raid_detail, name="raid-detail"),
    path("raids/<int:pk>/edit/", views.raid_edit, name="raid-edit"),
    path("raids/<int:pk>/status/", views.raid_status, name="raid-status"),
    path(
        "raids/<int:pk>/visits/<int:visit_pk>/result/",
        views.visit_result,
        name="visit-result",
    ),
    path("seizures/", views.seizure_list, name="seizure-list"),
    path("seizures/new/", views.seizure_create, name="seizure-create"),
    path("seizures/<int:pk>/", views.seizure_detail, name="seizure-detail"),
]

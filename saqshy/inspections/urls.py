from django.urls import path

from saqshy.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.violation_list, name="violations"),
    path("records/<slug:kind>/", views.record_list, name="records"),
    path("facility/<int:pk>/", views.facility_safety, name="facility"),
    path("facility/<int:pk>/inspect/", views.record_inspection, name="record"),
    path("facility/<int:pk>/<slug:kind>/", views.add_record, name="add"),
    path("violation/<int:pk>/<slug:action>/", views.violation_action, name="violation"),
    path("photo/<int:pk>/", views.photo, name="photo"),
]

from django.urls import path

from saqshy.actionplan import views

app_name = "actionplan"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:pk>/", views.measure_detail, name="detail"),
    path("<int:pk>/edit/", views.measure_edit, name="edit"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence"),
    path("<int:pk>/evidence/file/", views.evidence_file, name="evidence-file"),
]

from django.urls import path

from saqshy.cameras import views

app_name = "cameras"

urlpatterns = [
    path("", views.camera_list, name="list"),
    path("add/", views.camera_create, name="add"),
    path("<int:pk>/", views.camera_detail, name="detail"),
    path("<int:pk>/edit/", views.camera_edit, name="edit"),
    path("<int:pk>/deactivate/", views.camera_deactivate, name="deactivate"),
    path("snapshots/<int:pk>/", views.snapshot_image, name="snapshot"),
]

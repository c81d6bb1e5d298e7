from django.urls import path

from saqshy.gatherings import views

app_name = "gatherings"

urlpatterns = [
    path("", views.gathering_list, name="list"),
    path("new/", views.gathering_create, name="create"),
    path("import/", views.gathering_import, name="import"),
    path("<int:pk>/", views.gathering_detail, name="detail"),
    path("<int:pk>/edit/", views.gathering_edit, name="edit"),
    path("<int:pk>/<slug:action>/", views.gathering_action, name="action"),
]

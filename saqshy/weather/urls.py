from django.urls import path

from saqshy.weather import views

app_name = "weather"

urlpatterns = [
    path("", views.warning_list, name="list"),
    path("new/", views.warning_create, name="create"),
    path("<int:pk>/", views.warning_detail, name="detail"),
    path("<int:pk>/confirm/", views.warning_confirm, name="confirm"),
    path("<int:pk>/dismiss/", views.warning_dismiss, name="dismiss"),
]

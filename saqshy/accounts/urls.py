from django.urls import path

from saqshy.accounts import views

app_name = "accounts"

urlpatterns = [
    path("language/", views.set_language, name="language"),
    path("region/", views.set_region, name="region"),
    path("home/", views.home, name="home"),
]

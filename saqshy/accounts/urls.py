from django.urls import path

from saqshy.accounts import views

app_name = "accounts"

urlpatterns = [
    path("language/", views.set_language, name="language"),
    path("home/", views.home, name="home"),
]

from django.urls import path

from saqshy.winter import views

app_name = "winter"

urlpatterns = [
    path("stranded/", views.stranded_list, name="stranded"),
]

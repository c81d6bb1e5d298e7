from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

app_name = "sample"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "sample_app/home.html")


urlpatterns = [path("", home, name="home")]

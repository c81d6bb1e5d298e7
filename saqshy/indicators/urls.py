from django.urls import path

from saqshy.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.region, name="region"),
    path("national/", views.national, name="national"),
    path("boundaries.json", views.boundaries, name="boundaries"),
    path("<slug:code>/", views.chart, name="chart"),
]

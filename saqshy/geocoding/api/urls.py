"""This app's API routes, collected by ``saqshy/api_urls.py`` through the app registry."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from saqshy.geocoding.api.views import GeocodeReverseView, GeocodeSearchView


def register(router: DefaultRouter) -> None:
    """No viewsets: the geocoder is two plain views."""


urlpatterns = [
    path("geocode/search", GeocodeSearchView.as_view(), name="geocode-search"),
    path("geocode/reverse", GeocodeReverseView.as_view(), name="geocode-reverse"),
]

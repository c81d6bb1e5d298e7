"""This app's API routes, collected by ``saqshy/api_urls.py`` through the app registry."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from saqshy.incidents.api.views import IncidentViewSet, ResponseIndicatorsView, UnitViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("incidents", IncidentViewSet, basename="incident")
    router.register("units", UnitViewSet, basename="unit")


urlpatterns = [
    path("indicators/response/", ResponseIndicatorsView.as_view(), name="indicators-response"),
]

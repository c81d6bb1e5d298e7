"""This app's API routes, registered on the project's router by ``saqshy/api_urls.py``."""

from rest_framework.routers import DefaultRouter

from saqshy.incidents.api.views import IncidentViewSet, UnitViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("incidents", IncidentViewSet, basename="incident")
    router.register("units", UnitViewSet, basename="unit")

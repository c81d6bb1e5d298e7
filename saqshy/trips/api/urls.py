"""This app's API routes, registered on the project's router by ``saqshy/api_urls.py``."""

from rest_framework.routers import DefaultRouter

from saqshy.trips.api.views import TripViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("trips", TripViewSet, basename="trip")

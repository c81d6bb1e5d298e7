"""This app's API routes, collected by ``saqshy/api_urls.py`` through the app registry."""

from rest_framework.routers import DefaultRouter

from saqshy.lifelines.api.views import AlertViewSet, OutageViewSet, UtilitySiteViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("lifelines/sites", UtilitySiteViewSet, basename="utilitysite")
    router.register("lifelines/alerts", AlertViewSet, basename="lifelinealert")
    router.register("lifelines/outages", OutageViewSet, basename="outage")

"""This app's API routes, collected by ``saqshy/api_urls.py`` through the app registry."""

from rest_framework.routers import DefaultRouter

from saqshy.roads.api.views import ClosureViewSet, RouteViewSet, SegmentViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("roads/segments", SegmentViewSet, basename="roadsegment")
    router.register("roads/closures", ClosureViewSet, basename="roadclosure")
    router.register("roads/route", RouteViewSet, basename="roadroute")

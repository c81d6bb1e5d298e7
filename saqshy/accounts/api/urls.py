"""This app's API routes, collected by ``saqshy/api_urls.py`` through the app registry."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from saqshy.accounts.api.views import AgencyViewSet, MeView, NormViewSet, RegionViewSet, RouteView


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("regions", RegionViewSet, basename="region")
    router.register("agencies", AgencyViewSet, basename="agency")
    router.register("norms", NormViewSet, basename="norm")


urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("routing/route", RouteView.as_view(), name="route"),
]

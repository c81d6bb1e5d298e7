"""This app's API routes, collected by ``saqshy/api_urls.py`` through the app registry."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from saqshy.prevention.api.views import CampaignViewSet, PreventionIndicatorsView


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("campaigns", CampaignViewSet, basename="campaign")


urlpatterns = [
    path(
        "indicators/prevention/",
        PreventionIndicatorsView.as_view(),
        name="indicators-prevention",
    ),
]

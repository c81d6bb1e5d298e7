"""This app's API routes, collected by ``saqshy/api_urls.py`` through the app registry."""

from rest_framework.routers import DefaultRouter

from saqshy.alarms.api.views import (
    CallBackViewSet,
    HouseholdViewSet,
    InstallationCampaignViewSet,
    InstallationViewSet,
)


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("alarms/households", HouseholdViewSet, basename="alarm-household")
    router.register("alarms/installations", InstallationViewSet, basename="alarm-installation")
    router.register("alarms/campaigns", InstallationCampaignViewSet, basename="alarm-campaign")
    router.register("alarms/callbacks", CallBackViewSet, basename="alarm-callback")

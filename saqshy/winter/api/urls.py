"""This app's API routes, collected by ``saqshy/api_urls.py`` through the app registry."""

from rest_framework.routers import DefaultRouter

from saqshy.winter.api.views import StandbyViewSet, StrandedReportViewSet, WarmingPointViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("winter/points", WarmingPointViewSet, basename="warmingpoint")
    router.register("winter/stranded", StrandedReportViewSet, basename="strandedreport")
    router.register("winter/standby", StandbyViewSet, basename="standby")

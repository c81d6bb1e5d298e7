"""This app's API routes, collected by ``saqshy/api_urls.py`` through the app registry."""

from rest_framework.routers import DefaultRouter

from saqshy.pyrotechnics.api.views import (
    OutletViewSet,
    PyrotechnicsViewSet,
    RaidViewSet,
    SeizureViewSet,
)


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("pyrotechnics/outlets", OutletViewSet, basename="outlet")
    router.register("pyrotechnics/raids", RaidViewSet, basename="raid")
    router.register("pyrotechnics/seizures", SeizureViewSet, basename="seizure")
    # Only a list-level action: ``pyrotechnics/totals/`` (URL name ``pyrotechnics-totals``).
    router.register("pyrotechnics", PyrotechnicsViewSet, basename="pyrotechnics")

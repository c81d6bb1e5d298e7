"""This app's API routes, collected by ``saqshy/api_urls.py`` through the app registry."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from saqshy.ingest.api.views import (
    AlarmIngestView,
    DeviceViewSet,
    PositionIngestView,
    TelemetryIngestView,
)

urlpatterns = [
    path(
        "ingest/alarms/<str:device>/<str:kind>/",
        AlarmIngestView.as_view(),
        name="ingest-alarm",
    ),
    path(
        "ingest/telemetry/<str:site>/<str:parameter>/",
        TelemetryIngestView.as_view(),
        name="ingest-telemetry",
    ),
    path(
        "ingest/positions/<str:tracker>/",
        PositionIngestView.as_view(),
        name="ingest-position",
    ),
]


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("devices", DeviceViewSet, basename="device")

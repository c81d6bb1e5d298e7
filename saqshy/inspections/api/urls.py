"""This app's API routes, collected by ``saqshy/api_urls.py`` through the app registry."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from saqshy.inspections.api.views import (
    BriefingViewSet,
    ChecklistItemViewSet,
    ClearanceView,
    DrillViewSet,
    InspectionViewSet,
    ViolationViewSet,
)


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("inspections/checklist", ChecklistItemViewSet, basename="checklistitem")
    router.register("inspections", InspectionViewSet, basename="inspection")
    router.register("violations", ViolationViewSet, basename="violation")
    router.register("briefings", BriefingViewSet, basename="briefing")
    router.register("drills", DrillViewSet, basename="drill")


urlpatterns = [
    path("clearance/", ClearanceView.as_view(), name="clearance"),
]

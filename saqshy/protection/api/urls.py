"""This app's API routes, collected by ``saqshy/api_urls.py`` through the app registry."""

from rest_framework.routers import DefaultRouter

from saqshy.protection.api.views import AssessmentViewSet, FindingViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("protection/assessments", AssessmentViewSet, basename="protectionassessment")
    router.register("protection/findings", FindingViewSet, basename="protectionfinding")

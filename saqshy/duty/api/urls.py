"""This app's API routes, collected by ``saqshy/api_urls.py`` through the app registry."""

from rest_framework.routers import DefaultRouter

from saqshy.duty.api.views import (
    AbsenceViewSet,
    PatrolPlanViewSet,
    PersonViewSet,
    PlanRunViewSet,
    PostViewSet,
    ReadinessViewSet,
    ShiftViewSet,
)


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("duty/personnel", PersonViewSet, basename="duty-person")
    router.register("duty/absences", AbsenceViewSet, basename="duty-absence")
    router.register("duty/posts", PostViewSet, basename="duty-post")
    router.register("duty/shifts", ShiftViewSet, basename="duty-shift")
    router.register("duty/readiness", ReadinessViewSet, basename="duty-readiness")
    router.register("duty/plan-runs", PlanRunViewSet, basename="duty-plan-run")
    router.register("duty/patrol-plans", PatrolPlanViewSet, basename="duty-patrol-plan")

"""This app's API routes, collected by ``saqshy/api_urls.py`` through the app registry."""

from rest_framework.routers import DefaultRouter

from saqshy.equipment.api.views import FacilityEquipmentViewSet, HydrantViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("hydrants", HydrantViewSet, basename="hydrant")
    router.register("facility-equipment", FacilityEquipmentViewSet, basename="facilityequipment")

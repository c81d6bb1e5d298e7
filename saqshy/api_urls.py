"""The REST API: one router, the token endpoints and the OpenAPI schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from saqshy.accounts.api.views import (
    AgencyViewSet,
    MeView,
    NormViewSet,
    RegionViewSet,
    RouteView,
)
from saqshy.core.api.audit import AuditEntryViewSet
from saqshy.core.api.auth import RevokeAllTokensView, RevokeTokenView, TokenView
from saqshy.duty.api import urls as duty_api
from saqshy.equipment.api import urls as equipment_api
from saqshy.facilities.api.views import FacilityViewSet
from saqshy.forecasts.api import urls as forecasts_api
from saqshy.gatherings.api import urls as gatherings_api
from saqshy.incidents.api import urls as incidents_api
from saqshy.incidents.api.views import ResponseIndicatorsView
from saqshy.inspections.api import urls as inspections_api
from saqshy.inspections.api.views import ClearanceView
from saqshy.prevention.api import urls as prevention_api
from saqshy.prevention.api.views import PreventionIndicatorsView
from saqshy.pyrotechnics.api import urls as pyrotechnics_api
from saqshy.trips.api import urls as trips_api

app_name = "api"

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("norms", NormViewSet, basename="norm")
router.register("facilities", FacilityViewSet, basename="facility")
router.register("audit", AuditEntryViewSet, basename="auditentry")
for app_routes in (
    duty_api,
    equipment_api,
    forecasts_api,
    gatherings_api,
    incidents_api,
    inspections_api,
    prevention_api,
    pyrotechnics_api,
    trips_api,
):
    app_routes.register(router)

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/logout/", RevokeTokenView.as_view(), name="logout"),
    path("auth/logoutall/", RevokeAllTokensView.as_view(), name="logoutall"),
    path("me/", MeView.as_view(), name="me"),
    path("clearance/", ClearanceView.as_view(), name="clearance"),
    path("routing/route", RouteView.as_view(), name="route"),
    path(
        "indicators/prevention/",
        PreventionIndicatorsView.as_view(),
        name="indicators-prevention",
    ),
    path("indicators/response/", ResponseIndicatorsView.as_view(), name="indicators-response"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file, so the page needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]

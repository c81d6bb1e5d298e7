"""The REST API: every app's routes (from the app registry), the token endpoints, the schema."""

from importlib import import_module
from typing import Any

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from saqshy.core.api.auth import RevokeAllTokensView, RevokeTokenView, TokenView
from saqshy.core.registry import api_modules

app_name = "api"

router = DefaultRouter()
app_patterns: list[Any] = []
for module_name in api_modules():
    module = import_module(module_name)
    module.register(router)
    app_patterns.extend(getattr(module, "urlpatterns", []))

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/logout/", RevokeTokenView.as_view(), name="logout"),
    path("auth/logoutall/", RevokeAllTokensView.as_view(), name="logoutall"),
    *app_patterns,
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file, so the page needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]

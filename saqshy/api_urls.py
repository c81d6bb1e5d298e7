"""The REST API: every app's routes (from the app registry), the token endpoint, the schema."""

from importlib import import_module
from typing import Any

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from saqshy.core.registry import api_modules

app_name = "api"

router = DefaultRouter()
app_patterns: list[Any] = []
for module_name in api_modules():
    module = import_module(module_name)
    module.register(router)
    app_patterns.extend(getattr(module, "urlpatterns", []))

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="token"),
    *app_patterns,
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]

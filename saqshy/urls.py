"""Project URLs: every app's pages (from the app registry), sign-in, the API and the admin."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from saqshy.core import health
from saqshy.core.registry import page_urls

urlpatterns = [
    *(path(page.prefix, include(page.urlconf)) for page in page_urls()),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            extra_context={"demo_hint": settings.SAQSHY_DEMO_HINT},
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("saqshy.api_urls")),
    path("admin/", admin.site.urls),
    # Browsers ask for it on pages that name no icon (the admin).
    # Liveness and readiness for the load balancer and the supervisor (docs/deployment.md).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("favicon.ico", RedirectView.as_view(url=static("saqshy/favicon.svg"), permanent=True)),
]

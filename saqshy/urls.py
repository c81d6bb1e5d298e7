from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", include("saqshy.situation.urls")),
    path("facilities/", include("saqshy.facilities.urls")),
    path("events/", include("saqshy.gatherings.urls")),
    path("inspections/", include("saqshy.inspections.urls")),
    path("prevention/", include("saqshy.prevention.urls")),
    path("equipment/", include("saqshy.equipment.urls")),
    path("pyrotechnics/", include("saqshy.pyrotechnics.urls")),
    path("incidents/", include("saqshy.incidents.urls")),
    path("units/", include("saqshy.incidents.unit_urls")),
    path("trips/", include("saqshy.trips.urls")),
    path("duty/", include("saqshy.duty.urls")),
    path("accounts/", include("saqshy.accounts.urls")),
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
    path("favicon.ico", RedirectView.as_view(url=static("saqshy/favicon.svg"), permanent=True)),
]

"""Public alerts, mounted at ``/public/`` with no login (only these two paths)."""

from django.urls import path

from saqshy.alerts import public_views

app_name = "alerts_public"

urlpatterns = [
    path("alerts.atom", public_views.feed, name="feed"),
    path("alerts/<path:identifier>.xml", public_views.alert_xml, name="xml"),
]

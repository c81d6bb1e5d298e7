"""The audit trail's API route, collected by ``saqshy/api_urls.py`` through the app registry."""

from rest_framework.routers import DefaultRouter

from saqshy.core.api.audit import AuditEntryViewSet


def register(router: DefaultRouter) -> None:
    """Add the audit trail to the API router."""
    router.register("audit", AuditEntryViewSet, basename="auditentry")

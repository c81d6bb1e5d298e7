"""This app's API routes, collected by ``saqshy/api_urls.py`` through the app registry."""

from rest_framework.routers import DefaultRouter

from saqshy.outreach.api.views import CampaignViewSet, ParentMeetingViewSet


def register(router: DefaultRouter) -> None:
    """Add this app's viewsets to the API router."""
    router.register("outreach/campaigns", CampaignViewSet, basename="outreach-campaign")
    router.register("outreach/meetings", ParentMeetingViewSet, basename="outreach-meeting")

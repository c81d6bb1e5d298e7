"""This app's API routes, collected by ``saqshy/api_urls.py`` through the app registry."""

from rest_framework.routers import DefaultRouter

from saqshy.actionplan.api.views import MeasureViewSet


def register(router: DefaultRouter) -> None:
    router.register("actionplan/measures", MeasureViewSet, basename="measure")

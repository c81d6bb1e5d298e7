from typing import Any

from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

KINDS = [("a", "A"), ("b", "B")]


class PingView(APIView):
    def get(self, request: Request) -> Response:
        return Response({"pong": True})


def register(router: DefaultRouter) -> None:
    """Nothing on the router; one plain path below."""


def layer_config(user: Any, region: Any) -> dict[str, Any]:
    return {"sampleLayerUrl": "/api/sample/ping/"}


urlpatterns = [path("sample/ping/", PingView.as_view(), name="sample-ping")]

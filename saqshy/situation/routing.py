from django.urls import path

from saqshy.situation.consumers import SituationConsumer

websocket_urlpatterns = [path("ws/situation/", SituationConsumer.as_asgi())]

"""``/ws/situation/``: every change a signed-in user may see, pushed as it commits."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from saqshy.accounts.models import Region
from saqshy.core.realtime import NATIONAL_GROUP, group_for_region
from saqshy.core.scoping import Scope

UNAUTHENTICATED = 4401


def groups_for(user: Any) -> list[str]:
    """The region groups whose messages this user might be allowed to receive."""
    if user.is_superuser or user.grants.filter(region__isnull=True).exists():
        return [
            NATIONAL_GROUP,
            *(group_for_region(pk) for pk in Region.objects.values_list("pk", flat=True)),
        ]
    region_ids = set(user.grants.values_list("region_id", flat=True))
    return [group_for_region(pk) for pk in sorted(region_ids)]


class SituationConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=UNAUTHENTICATED)
            return
        self.user = user
        self.joined = await database_sync_to_async(groups_for)(user)
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "groups": len(self.joined)})

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def saqshy_event(self, message: dict[str, Any]) -> None:
        event = message["event"]
        if await database_sync_to_async(self._may_see)(event):
            await self.send_json({"type": "change", **event})

    def _may_see(self, event: dict[str, Any]) -> bool:
        scope: Scope = self.user.scope_for(event["perm"])
        return scope.covers(event.get("region_id"), event.get("agency_id"))

"""Base API views: restricted at the root, writes through the app's service functions."""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import mixins, viewsets
from rest_framework.serializers import BaseSerializer

from saqshy.core.scoping import ScopedQuerySet, restricted_prefetch


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Lists and details only what the caller's grants let them view.

    ``related_rows`` names the relations the serializer nests (``{"needs": PostNeed.objects
    .select_related("agency")}``); they are prefetched cut to the caller's grants too.
    """

    related_rows: ClassVar[dict[str, Any]] = {}

    def get_queryset(self) -> Any:
        queryset: ScopedQuerySet[Any] = super().get_queryset()  # type: ignore[assignment]
        user = self.request.user
        if self.related_rows:
            queryset = queryset.prefetch_related(
                *(restricted_prefetch(user, name, rows) for name, rows in self.related_rows.items())
            )
        return queryset.restrict(user, "view")


class ScopedModelViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ScopedReadOnlyViewSet,
):
    """Subclasses implement ``create_object``, ``update_object`` and ``delete_object`` by
    calling their app's services, so the API never writes around audit and live push."""

    def create_object(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def update_object(self, instance: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def delete_object(self, instance: Any) -> None:
        raise NotImplementedError

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        serializer.instance = self.create_object(dict(serializer.validated_data))

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        serializer.instance = self.update_object(
            serializer.instance, dict(serializer.validated_data)
        )

    def perform_destroy(self, instance: Any) -> None:
        self.delete_object(instance)

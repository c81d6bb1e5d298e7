from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import mixins

from saqshy.actionplan import queries, services
from saqshy.actionplan.api.serializers import PlanMeasureSerializer
from saqshy.actionplan.models import Measure, MeasureTarget
from saqshy.core.api.viewsets import ScopedReadOnlyViewSet


class MeasureViewSet(mixins.UpdateModelMixin, ScopedReadOnlyViewSet):
    """The action plan's measures with their national progress (read by every role); the
    secretariat changes them (``If-Match`` with the ``ETag`` refuses a stale copy: 412)."""

    queryset = Measure.objects.select_related("owner").prefetch_related("co_executors")
    related_rows: ClassVar[dict[str, Any]] = {"targets": MeasureTarget.objects.order_by("pk")}
    serializer_class = PlanMeasureSerializer
    http_method_names = ["get", "patch", "put", "head", "options"]

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["evaluator"] = queries.Evaluator(self.request.user)
        return context

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        co = data.pop("co_executors", None)
        serializer.instance = services.update_measure(
            acting_user=self.request.user,
            measure=serializer.instance,
            co_executors=co,
            **data,
        )

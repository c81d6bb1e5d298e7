"""A reference to a facility the caller may see; any other id reads as unknown (400)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from saqshy.facilities.models import Facility


class VisibleFacilityField(serializers.PrimaryKeyRelatedField):
    """Records hung on a facility (inspections, events, equipment…) name it with this field,
    so a facility outside the caller's scope is refused exactly like a missing one."""

    default_error_messages = {
        **serializers.PrimaryKeyRelatedField.default_error_messages,
        "does_not_exist": _("No such facility."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Facility.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        queryset = Facility.objects.all()
        return queryset.restrict(request.user, "view") if request else queryset.none()

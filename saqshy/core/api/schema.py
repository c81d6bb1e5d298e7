"""OpenAPI for the write path: the ``Idempotency-Key`` and ``If-Match`` request headers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "A unique key (1–255 characters) for this request. A retry with the same key and "
        "the same body returns the first answer (header `Idempotent-Replayed: true`) and "
        "creates nothing; the same key with another body answers 422. Keys are per user and "
        "kept for 24 hours. Only successful answers are stored."
    ),
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "The `ETag` of the object as you last read it. When the object has changed since, "
        "the request answers 412 Precondition Failed (with `current_version`) and writes "
        "nothing. `*` accepts any version."
    ),
)

FIELDS = OpenApiParameter(
    "fields",
    str,
    OpenApiParameter.QUERY,
    required=False,
    description=(
        "Comma-separated names of the fields to return (e.g. `id,kind,lat,lon`); the others "
        "are left out of each object. A name the object does not have answers 400. Maps and "
        "integrators that need a few fields of many rows ask for just those."
    ),
)


class WriteSafeAutoSchema(AutoSchema):
    """Documents the headers ``core.api.viewsets.WriteSafeMixin`` honours on every write."""

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        detail = "{" in self.path
        action = getattr(self.view, "action", None)
        handler = getattr(type(self.view), action, None) if action in ("list", "retrieve") else None
        if self.method == "GET" and getattr(handler, "__qualname__", "").startswith(
            "ScopedReadOnlyViewSet."
        ):
            parameters.append(FIELDS)
        if self.method == "POST":
            parameters.append(IDEMPOTENCY_KEY)
        if self.method in ("PUT", "PATCH", "DELETE") or (self.method == "POST" and detail):
            parameters.append(IF_MATCH)
        return parameters


class TokenScheme(KnoxTokenScheme):
    """The schema's ``Authorization: Token …`` for the project's knox authentication (the
    extension drf-spectacular ships matches knox's own class only)."""

    target_class = "saqshy.core.api.authentication.TokenAuthentication"

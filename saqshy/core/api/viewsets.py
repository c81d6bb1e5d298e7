"""Base API views: restricted at the root, writes through the app's service functions.

Every write request (``POST``, ``PUT``, ``PATCH``, ``DELETE``) runs in one transaction:

- the object it addresses is locked (``SELECT … FOR UPDATE``) and re-read before anything is
  decided, so the app's own checks see the stored state and concurrent writes queue;
- ``If-Match`` is compared with the locked row's version: a stale copy answers 412 and
  nothing is written; every detail answer carries the version as ``ETag``;
- a ``POST`` with ``Idempotency-Key`` stores its answer with its changes; a retry gets that
  answer back (``core.idempotency``);
- an answer that is not a success rolls the whole transaction back: a refused request
  changes nothing.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import JSONField
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from saqshy.core import audit, idempotency, versioning
from saqshy.core.api.exceptions import UNAVAILABLE, unavailable
from saqshy.core.api.schema import WriteSafeAutoSchema
from saqshy.core.idempotency_models import IdempotencyRecord
from saqshy.core.scoping import ScopedQuerySet, restricted_prefetch

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The actions that honour ``?fields=`` (ScopedReadOnlyViewSet).
SPARSE = frozenset({"list", "retrieve"})


class WriteSafeMixin(viewsets.GenericViewSet):
    """One transaction per write request, row lock and ``If-Match`` on the addressed object,
    ``ETag`` on detail answers and ``Idempotency-Key`` on ``POST`` (see the module)."""

    schema = WriteSafeAutoSchema()
    _idempotency: IdempotencyRecord | None = None
    _versioned: Any = None
    _read_after_write = False
    answered_fresh: ClassVar[frozenset[str]] = frozenset()
    """Write actions that read their answer again after the write (the incidents' actions):
    their lookup of the addressed row leaves out the nested ``related_rows``."""
    _lookup_only = False

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.method not in WRITES:
            return super().dispatch(request, *args, **kwargs)
        try:
            # The audit entries are appended last, just before the commit: the region's chain
            # head, which every writer of the region waits for, is held for that commit only.
            with transaction.atomic(), audit.together():
                response = super().dispatch(request, *args, **kwargs)
                if not 200 <= response.status_code < 300:
                    transaction.set_rollback(True)
                elif self._idempotency is not None and isinstance(response, Response):
                    idempotency.store(self._idempotency, response)
        except UNAVAILABLE as error:
            # Opening or committing the transaction failed, outside the view's own error
            # handling: the same 503 as a failure inside it.
            body, headers = unavailable(request, error)
            return JsonResponse(body, status=503, headers=headers)
        return response

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        key = idempotency.wanted(request)
        body = idempotency.raw_body(request) if key else None
        super().initial(request, *args, **kwargs)
        if key is not None:
            self._idempotency = idempotency.claim(
                request=request, key=key, digest=idempotency.fingerprint(request, body)
            )

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, idempotency.Replay):
            return exc.response
        response: Response = super().handle_exception(exc)
        return response

    def get_object(self) -> Any:
        writing = self.request.method in WRITES
        if writing:
            self._lock_addressed()
        self._lookup_only = writing and self.action in self.answered_fresh
        try:
            obj = super().get_object()
        finally:
            self._lookup_only = False
        if writing:
            versioning.check(obj, versioning.parse_if_match(self.request.headers.get("If-Match")))
        self._versioned = obj
        return obj

    def answer_stored(self, obj: Any) -> None:
        """Take ``obj``, read after the write in its transaction, for the answer's ``ETag``
        (else the row is read once more after the answer is made)."""
        self._versioned = obj
        self._read_after_write = True

    def _lock_addressed(self) -> None:
        """Lock the addressed row before reading it, so the read is the stored state."""
        lookup = self.lookup_url_kwarg or self.lookup_field
        if lookup not in self.kwargs:
            return
        model = self.get_queryset().model
        rows = model._default_manager.select_for_update().filter(
            **{self.lookup_field: self.kwargs[lookup]}
        )
        try:
            list(rows.values_list("pk", flat=True))
        except (TypeError, ValueError, DjangoValidationError):
            raise Http404 from None

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        current = self._versioned
        if current is not None and 200 <= response.status_code < 300:
            if request.method in WRITES and not self._read_after_write:
                current = type(current)._default_manager.filter(pk=current.pk).first()
            if current is not None and not response.has_header("ETag"):
                response["ETag"] = versioning.etag(current)
        return response


def keep_only(serializer: Any, wanted: str) -> None:
    """Drop every field of ``serializer`` not named in ``wanted`` (comma-separated)."""
    names = [name.strip() for name in wanted.split(",") if name.strip()]
    unknown = [name for name in names if name not in serializer.fields]
    if unknown:
        raise ValidationError(
            {"fields": [_("No such field: %(names)s.") % {"names": ", ".join(unknown)}]}
        )
    for name in list(serializer.fields):
        if name not in names:
            serializer.fields.pop(name)


def unwanted_json(model: Any, wanted: str) -> list[str]:
    """The model's JSON columns a ``?fields=`` read leaves out: not loaded at all (decoding a
    building's footprint for each of a thousand map points costs more than the rest)."""
    names = {name.strip() for name in wanted.split(",")}
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, JSONField) and field.name not in names
    ]


def related_json(model: Any, related: Any, prefix: str = "") -> list[str]:
    """The JSON columns of the rows joined by ``select_related`` (a region's or a district's
    boundary): serializers show those rows by slug or name, and decoding a region's outline
    once per listed row was most of the time of a thousand-row page."""
    if not isinstance(related, dict):
        return []
    deferred: list[str] = []
    for name, deeper in related.items():
        target = model._meta.get_field(name).related_model
        path = f"{prefix}{name}__"
        deferred += [
            f"{path}{field.name}"
            for field in target._meta.concrete_fields
            if isinstance(field, JSONField)
        ]
        deferred += related_json(target, deeper, path)
    return deferred


def _paths(name: str, deeper: dict[str, Any]) -> list[str]:
    """``select_related`` paths of one join and the joins under it (``venue__district``)."""
    if not deeper:
        return [name]
    return [path for child, more in deeper.items() for path in _paths(f"{name}__{child}", more)]


class ScopedReadOnlyViewSet(WriteSafeMixin, viewsets.ReadOnlyModelViewSet):
    """Lists and details only what the caller's grants let them view.

    ``related_rows`` names the relations the serializer nests (``{"needs": PostNeed.objects
    .select_related("agency")}``); they are prefetched cut to the caller's grants too.
    """

    related_rows: ClassVar[dict[str, Any]] = {}

    def _sparse(self, serializer: Any) -> Any:
        wanted = self.request.query_params.get("fields")
        if wanted:
            keep_only(getattr(serializer, "child", serializer), wanted)
        return serializer

    # list and retrieve as DRF's mixins, with ``?fields=`` applied (not in get_serializer,
    # which drf-spectacular would then call with a request-less context).
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is not None:
            serializer = self._sparse(self.get_serializer(page, many=True))
            return self.get_paginated_response(serializer.data)
        return Response(self._sparse(self.get_serializer(queryset, many=True)).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._sparse(self.get_serializer(self.get_object())).data)

    def _join_only_wanted(self, queryset: Any, wanted: str) -> Any:
        """Keep only the joins that the ``?fields=`` wanted read: a thousand-row page of units
        for the map otherwise builds every unit's agency, region and tracker too."""
        joined = queryset.query.select_related
        if not isinstance(joined, dict):
            return queryset
        fields: Any = getattr(self.get_serializer_class()(), "fields", {})
        roots: set[str] = set()
        for name in (n.strip() for n in wanted.split(",")):
            field = fields.get(name)
            if field is None:
                continue  # refused by keep_only, naming ``fields``
            if field.source == "*":
                return queryset
            roots.add((field.source or name).split(".")[0])
        kept = [path for name in joined if name in roots for path in _paths(name, joined[name])]
        queryset = queryset.select_related(None)
        return queryset.select_related(*kept) if kept else queryset

    def get_queryset(self) -> Any:
        queryset: ScopedQuerySet[Any] = super().get_queryset()  # type: ignore[assignment]
        user = self.request.user
        if self.related_rows and not self._lookup_only:
            queryset = queryset.prefetch_related(
                *(restricted_prefetch(user, name, rows) for name, rows in self.related_rows.items())
            )
        wanted = self.request.query_params.get("fields") if self.action in SPARSE else None
        if wanted:
            queryset = queryset.defer(*unwanted_json(queryset.model, wanted))
            queryset = self._join_only_wanted(queryset, wanted)
        queryset = queryset.defer(*related_json(queryset.model, queryset.query.select_related))
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
        self._versioned = serializer.instance

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        serializer.instance = self.update_object(
            serializer.instance, dict(serializer.validated_data)
        )

    def perform_destroy(self, instance: Any) -> None:
        self._versioned = None
        self.delete_object(instance)

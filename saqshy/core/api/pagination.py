"""Page-number pagination whose count stops where counting stops being useful.

DRF's paginator counts every row of the list for each page: ``COUNT(*)`` over a season's
200,000 incidents or audit entries, linear in the data, where the page itself reads 50 rows
from an index. Here the count goes only as far as ``SAQSHY_API_COUNT_LIMIT`` rows (or the end
of the page asked for, if that is further): below it, ``count`` is exact as before; beyond it,
``count_exact`` is false and ``count`` says "at least this many", and ``next`` still leads on
page by page to the end. ``?page=last`` counts everything, as it must.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response


class CappedPaginator(Paginator):
    """A ``Paginator`` that counts at most ``limit`` + 1 rows (``limit`` None: all of them)."""

    def __init__(self, object_list: Any, per_page: int, *, limit: int | None) -> None:
        super().__init__(object_list, per_page)
        self.limit = limit
        self.exact = True

    @cached_property
    def count(self) -> int:
        rows: Any = self.object_list
        if self.limit is None or not isinstance(rows, QuerySet):
            return int(super().count)
        # One row past the limit says whether there are more; the page after it then exists.
        # Which rows are counted does not matter, so the count needs no ordering.
        found = int(rows.order_by()[: self.limit + 1].count())
        self.exact = found <= self.limit
        return found


def _page(asked: str) -> int:
    """The page number asked for, within 1 – 10⁹; 1 for what is not one (the paginator then
    answers 404)."""
    try:
        return min(max(int(asked), 1), 10**9)
    except ValueError:
        return 1


class Pagination(PageNumberPagination):
    """``{count, count_exact, next, previous, results}`` with ``?page=`` and ``?page_size=``
    (max 1000)."""

    page_size_query_param = "page_size"
    max_page_size = 1000

    def paginate_queryset(
        self, queryset: Any, request: Request, view: Any = None
    ) -> list[Any] | None:
        asked = request.query_params.get(self.page_query_param) or "1"
        page_size = self.get_page_size(request) or 0
        limit: int | None = None
        if asked not in self.last_page_strings:
            limit = max(int(settings.SAQSHY_API_COUNT_LIMIT), _page(asked) * page_size)

        def paginator(object_list: Any, per_page: int) -> CappedPaginator:
            return CappedPaginator(object_list, per_page, limit=limit)

        self.django_paginator_class = paginator  # type: ignore[assignment]
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None  # paginate_queryset ran
        paginator: Any = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_exact": paginator.exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count"]["description"] = (
            "The number of rows; with count_exact false, at least this many (counting stops "
            "past SAQSHY_API_COUNT_LIMIT rows, 10,000 by default, or past the page asked for)."
        )
        answer["properties"]["count_exact"] = {
            "type": "boolean",
            "description": "Whether count is every row; false when counting stopped early.",
        }
        answer["required"] = [*answer["required"], "count_exact"]
        return answer

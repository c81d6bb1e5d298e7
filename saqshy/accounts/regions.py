"""The region switch: a user whose grants cover several regions picks one for the session,
and every list opens on it (until its own ``region`` filter says otherwise)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

from saqshy.accounts.models import Region
from saqshy.accounts.queries import regions_in_scope
from saqshy.core.scoping import user_scope

SESSION_KEY = "saqshy_region"
ALL = "all"


def switchable_regions(user: Any) -> QuerySet[Region]:
    """Regions the user's grants cover (every region for a national grant), by name."""
    regions = Region.objects.order_by("name_en")
    if user is None or not user.is_authenticated:
        return regions.none()
    if user.is_superuser or user.grants.filter(region=None).exists():
        return regions
    return regions.filter(grants__user=user).distinct()


def current_region(request: HttpRequest) -> Region | None:
    """The region chosen with the switch, while the user's grants still cover it."""
    session = getattr(request, "session", None)
    slug = session.get(SESSION_KEY) if session is not None else None
    if not slug or slug == ALL:
        return None
    return switchable_regions(request.user).filter(slug=slug).first()


def list_params(request: HttpRequest, model: type[Any] | None = None) -> QueryDict:
    """The list's query: ``request.GET``, with the switched region as its ``region`` filter
    when the query names none (and ``model``'s records there are visible to the user)."""
    params = request.GET.copy()
    if "region" in params:
        return params
    region = current_region(request)
    if region is None:
        return params
    if model is not None:
        scope = user_scope(request.user, model, "view")
        if not scope.national and region.pk not in scope.region_ids:
            return params
    params["region"] = region.slug
    return params


def list_context(request: HttpRequest, model: type[Any], params: QueryDict) -> dict[str, Any]:
    """What the region filter and the export links of a list need: the regions the user may
    view ``model`` in, the chosen ones, and the query without its page."""
    query = params.copy()
    query.pop("page", None)
    query.pop("format", None)
    return {
        "regions": list(regions_in_scope(request.user, model)),
        "chosen_regions": params.getlist("region"),
        "query": query.urlencode(),
    }

"""The commission's figures as pages: the national map, a region's cards, one indicator's
chart. Each shows only the regions in which the user may view the records counted."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from saqshy.core.indicators import indicator as find_indicator
from saqshy.core.indicators import registry_indicators
from saqshy.indicators import display, params, queries


def _scope(request: HttpRequest) -> tuple[list[Any], dict[str, list[int]]]:
    everywhere = queries.regions()
    seen = queries.scope(request.user, everywhere)
    if not any(seen.values()):
        raise PermissionDenied
    return everywhere, seen


def _errors(request: HttpRequest, template: str, context: dict[str, Any], error: Any) -> Any:
    context = {**context, "errors": error.errors}
    return render(request, template, context, status=400)


@login_required
@require_GET
def national(request: HttpRequest) -> HttpResponse:
    everywhere, seen = _scope(request)
    shown = [ind for ind in registry_indicators() if seen.get(ind.code)]
    context: dict[str, Any] = {"indicators": shown, "max_days": queries.MAX_DAYS}
    try:
        query = params.read(request.GET)
    except params.QueryError as error:
        return _errors(request, "indicators/national.html", context, error)
    code = request.GET.get("indicator") or shown[0].code
    ind = next((i for i in shown if i.code == code), None)
    if ind is None:
        raise Http404
    rows, total = queries.by_region(ind, seen[ind.code], everywhere, query.first, query.last)
    date = query.last.isoformat()
    table: list[dict[str, Any]] = [
        {
            "region": row.region,
            "figure": row.figure,
            "text": display.text(row.figure, ind),
            "shown": display.shown(row.figure),
            "url": (
                reverse("indicators:region")
                + "?"
                + urlencode({"region": row.region.slug, "date": date})
                if row.figure is not None
                else ""
            ),
        }
        for row in rows
    ]
    context.update(
        indicator=ind,
        query=query,
        rows=table,
        total=display.text(total, ind),
        national=queries.is_national(seen[ind.code], everywhere),
        map={
            "label": str(ind.label),
            "higherIsBetter": ind.higher_is_better,
            "unit": ind.unit,
            "boundaries": reverse("indicators:boundaries"),
            "regions": [
                {
                    "id": row["region"].pk,
                    "name": row["region"].display_name,
                    "shown": row["shown"],
                    "text": row["text"],
                    "url": row["url"],
                    "visible": row["figure"] is not None,
                }
                for row in table
            ],
        },
    )
    return render(request, "indicators/national.html", context)


@login_required
@require_GET
def region(request: HttpRequest) -> HttpResponse:
    everywhere, seen = _scope(request)
    visible = {pk for ids in seen.values() for pk in ids}
    context: dict[str, Any] = {"regions": [r for r in everywhere if r.pk in visible]}
    query_params = request.GET.copy()
    if request.GET.get("date"):
        query_params["from"] = query_params["to"] = request.GET["date"]
    try:
        query = params.read(query_params)
    except params.QueryError as error:
        if "region" in error.errors:
            raise Http404 from error
        dated = "date" in request.GET
        errors = {
            ("date" if dated and k in ("from", "to") else k): v for k, v in error.errors.items()
        }
        return _errors(request, "indicators/region.html", context, params.QueryError(errors))
    chosen = query.region
    if chosen is not None and chosen.pk not in visible:
        raise Http404
    if chosen is None and len(visible) < len(everywhere):
        # Not national: the first region the user sees stands for "all".
        first = context["regions"][0]
        return redirect(
            reverse("indicators:region")
            + "?"
            + urlencode({"region": first.slug, "date": query.last.isoformat()})
        )
    cards = queries.cards(seen, chosen, query.first, query.last)
    context.update(
        region=chosen,
        query=query,
        last_year_first=queries.last_year(query.first),
        last_year_last=queries.last_year(query.last),
        cards=[
            {
                "indicator": card.indicator,
                "text": display.text(card.figure, card.indicator),
                "last_year": (
                    display.text(card.last_year, card.indicator) if card.last_year else None
                ),
                "url": reverse("indicators:chart", args=[card.indicator.code])
                + "?"
                + urlencode({"region": chosen.slug} if chosen else {}),
            }
            for card in cards
        ],
    )
    return render(request, "indicators/region.html", context)


@login_required
@require_GET
def chart(request: HttpRequest, code: str) -> HttpResponse:
    try:
        ind = find_indicator(code)
    except KeyError as missing:
        raise Http404 from missing
    everywhere, seen = _scope(request)
    ids = seen.get(ind.code, [])
    if not ids:
        raise PermissionDenied
    context: dict[str, Any] = {
        "indicator": ind,
        "regions": [r for r in everywhere if r.pk in ids],
        "max_days": queries.MAX_DAYS,
    }
    try:
        query = params.read(request.GET, default_days=30)
    except params.QueryError as error:
        if "region" in error.errors:
            raise Http404 from error
        return _errors(request, "indicators/chart.html", context, error)
    chosen = query.region
    if chosen is not None and chosen.pk not in ids:
        raise Http404
    if chosen is None and not queries.is_national(ids, everywhere):
        chosen = context["regions"][0]
    points = queries.series(ind, [chosen.pk] if chosen else ids, query.first, query.last)
    rows = [
        {
            "day": display.day(point.day),
            "text": display.text(point.figure, ind),
            "last_year_day": display.day(point.last_year_day),
            "last_year": display.text(point.last_year, ind) if point.last_year else None,
        }
        for point in points
    ]
    context.update(
        region=chosen,
        query=query,
        rows=rows,
        chart={
            "type": "bar" if ind.unit == "count" else "line",
            "labels": [row["day"] for row in rows],
            "series": [
                {"label": str(ind.label), "data": [display.shown(p.figure) for p in points]},
                {
                    "label": _("Same days last year"),
                    "data": [display.shown(p.last_year) if p.last_year else None for p in points],
                },
            ],
            "percent": ind.unit == "share",
        },
    )
    return render(request, "indicators/chart.html", context)


@login_required
@require_GET
def boundaries(request: HttpRequest) -> JsonResponse:
    """The regions' boundaries, simplified, for the national map (public reference data)."""
    response = JsonResponse(queries.boundaries())
    response["Cache-Control"] = "private, max-age=3600"
    return response

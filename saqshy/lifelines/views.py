"""Lifelines pages: the outage register (list, detail, restore) and the sites with their
latest readings and a chart. Thin: scope from ``restrict``, changes through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saqshy.accounts.regions import list_context, list_params
from saqshy.core import exports, versioning
from saqshy.core.exceptions import Conflict
from saqshy.core.exports import Column
from saqshy.lifelines import queries, services
from saqshy.lifelines.choices import SiteState
from saqshy.lifelines.filtersets import OutageFilterSet, UtilitySiteFilterSet
from saqshy.lifelines.models import Alert, Outage, UtilitySite

PAGE_SIZE = 50
CHART_HOURS = 24


OUTAGE_COLUMNS = [
    Column("#", lambda o: o.pk),
    Column(gettext_lazy("Site"), lambda o: o.site),
    Column(gettext_lazy("Region"), lambda o: o.region.display_name),
    Column(gettext_lazy("Status"), lambda o: o.get_status_display()),
    Column(gettext_lazy("Started"), lambda o: o.started),
    Column(gettext_lazy("Repair crew"), lambda o: o.crew),
    Column(gettext_lazy("People affected (estimate)"), lambda o: o.people),
    Column(gettext_lazy("Restored at"), lambda o: o.restored_at),
]


def _readings(row: dict[str, Any]) -> str:
    return "; ".join(f"{name} {value:.1f}" for name, (_at, value) in row["readings"])


SITE_COLUMNS = [
    Column("#", lambda row: row["site"].pk),
    Column(gettext_lazy("Site"), lambda row: row["site"]),
    Column(gettext_lazy("Code"), lambda row: row["site"].code),
    Column(gettext_lazy("Kind"), lambda row: row["site"].get_kind_display()),
    Column(gettext_lazy("Region"), lambda row: row["site"].region.display_name),
    Column(gettext_lazy("State"), lambda row: row["state_label"]),
    Column(gettext_lazy("Latest readings"), _readings),
    Column(gettext_lazy("People served (estimate)"), lambda row: row["site"].people),
]


@login_required
def outage_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, Outage)
    rows: Any = OutageFilterSet(
        params,
        queryset=Outage.objects.restrict(request.user, "view").select_related(
            "site__facility", "region"
        ),
    ).qs
    only_open = params.get("open") == "1"
    if only_open:
        rows = rows.filter(restored_at=None)
    if exports.requested(params):
        return exports.export(
            request, rows, OUTAGE_COLUMNS, model=Outage, stem="outages", params=params
        )
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    return render(
        request,
        "lifelines/outage_list.html",
        {
            **list_context(request, Outage, params),
            "page": page,
            "only_open": only_open,
            "keep": [("open", "1")] if only_open else [],
        },
    )


@login_required
def outage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    outage: Outage = get_object_or_404(
        Outage.objects.restrict(request.user, "view").select_related(
            "site__facility", "incident", "crew_post", "alert__parameter"
        ),
        pk=pk,
    )
    return render(
        request,
        "lifelines/outage_detail.html",
        {
            "outage": outage,
            "version": versioning.version_of(outage),
            "can_edit": outage.is_open and services.may_edit(request.user, outage.region_id),
        },
    )


@login_required
@require_POST
def outage_restore(request: HttpRequest, pk: int) -> HttpResponse:
    outage: Outage = get_object_or_404(Outage.objects.restrict(request.user, "view"), pk=pk)
    try:
        services.restore_outage(
            acting_user=request.user,
            outage=outage,
            expected_version=request.POST.get("version") or None,
        )
    except Conflict as conflict:
        messages.error(request, str(conflict.detail))
        return redirect("lifelines:outage-detail", pk=pk)
    messages.success(request, _("Outage restored; its incident is closed."))
    return redirect("lifelines:outage-detail", pk=pk)


@login_required
def site_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, UtilitySite)
    sites: list[UtilitySite] = list(
        UtilitySiteFilterSet(
            params,
            queryset=UtilitySite.objects.restrict(request.user, "view").select_related(
                "facility", "gateway", "region"
            ),
        ).qs[: exports.MAX_ROWS + 1]
    )
    latest = queries.latest_readings(sites)
    states = queries.site_states(sites)
    rows = [
        {
            "site": site,
            "state": states[site.pk],
            "state_label": SiteState.label(states[site.pk]),
            "colour": SiteState.colour(states[site.pk]),
            "readings": sorted(latest.get(site.pk, {}).items()),
        }
        for site in sites
    ]
    if exports.requested(params):
        return exports.export(
            request, rows, SITE_COLUMNS, model=UtilitySite, stem="utility-sites", params=params
        )
    return render(
        request,
        "lifelines/site_list.html",
        {**list_context(request, UtilitySite, params), "rows": rows},
    )


@login_required
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site: UtilitySite = get_object_or_404(
        UtilitySite.objects.restrict(request.user, "view").select_related("facility", "gateway"),
        pk=pk,
    )
    latest = queries.latest_readings([site]).get(site.pk, {})
    until = max((at for at, _value in latest.values()), default=timezone.now())
    series: dict[str, list[dict[str, object]]] = {}
    for row in queries.readings(site, until - dt.timedelta(hours=CHART_HOURS), until):
        series.setdefault(row.parameter, []).append({"at": row.at.isoformat(), "value": row.value})
    alerts: Any = Alert.objects.restrict(request.user, "view").filter(site=site)[:20]
    outages: Any = Outage.objects.restrict(request.user, "view").filter(site=site)[:20]
    return render(
        request,
        "lifelines/site_detail.html",
        {
            "site": site,
            "latest": sorted(latest.items()),
            "series": series,
            "alerts": alerts,
            "outages": outages,
        },
    )

"""Device-health pages and the situation map's home-alarm layers (JSON), all scoped.

The health page shows the day's summary per district, false-alarm rates per model and per
household (an id only, linked when the user may see the household), and the maintenance
tasks with a button to mark one done. The map endpoints carry no personal data: an alarm
incident's point and status, offline devices (per district at low zoom, points only when
zoomed in on a bounding box) and coverage per district.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from saqshy.accounts.models import District
from saqshy.alarms import health, queries
from saqshy.alarms.health_choices import TaskStatus
from saqshy.alarms.models import MaintenanceTask
from saqshy.core.scoping import OutlinedQuerySet, user_scope
from saqshy.core.views import run_service
from saqshy.incidents.choices import IncidentStatus
from saqshy.incidents.models import Incident
from saqshy.ingest.choices import DeviceKind, DeviceStatus
from saqshy.ingest.models import Device

POINTS_FROM_ZOOM = 14
"""Below this zoom offline devices are counted per district, from it drawn one by one."""
MAX_POINTS = 2000


def _day(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def health_page(request: HttpRequest) -> HttpResponse:
    """The daily health summary per district, false-alarm rates and the task list."""
    if user_scope(request.user, MaintenanceTask, "view").empty:
        raise PermissionDenied
    day = _day(request)
    rows = health.district_summary(request.user, day)
    status = request.GET.get("status", TaskStatus.OPEN)
    tasks: QuerySet[MaintenanceTask] = (
        MaintenanceTask.objects.restrict(request.user, "view")
        .select_related("device", "district")
        .order_by("due", "id")
    )
    if status in TaskStatus.values():
        tasks = tasks.filter(status=status)
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    by_household = sorted(
        queries.false_alarm_rate_by_household(request.user),
        key=lambda r: (-r.rate, -r.alarms, r.key),
    )[:20]
    visible = set(
        queries.households_for(request.user)
        .filter(pk__in=[r.key for r in by_household] + [t.household_id for t in page])
        .values_list("pk", flat=True)
    )
    may_change = not user_scope(request.user, MaintenanceTask, "change").empty
    return render(
        request,
        "alarms/health.html",
        {
            "day": day,
            "rows": rows,
            "total": health.summary_total(rows),
            "by_model": queries.false_alarm_rate_by_model(request.user),
            "by_household": by_household,
            "visible_households": visible,
            "page": page,
            "status": status,
            "statuses": TaskStatus.CHOICES,
            "may_change": may_change,
        },
    )


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task: MaintenanceTask = get_object_or_404(
        MaintenanceTask.objects.restrict(request.user, "view"), pk=pk
    )
    run_service(
        request,
        lambda: health.complete_task(
            acting_user=request.user, task=task, note=request.POST.get("note", "")
        ),
        _("Task marked done."),
    )
    return redirect("alarms:health")


# --- map layers -------------------------------------------------------------------------------


@login_required
@require_GET
def alarm_homes(request: HttpRequest) -> JsonResponse:
    """Open incidents opened by home alarms: point, status, time; nothing about the home."""
    from saqshy.alarms.services import alarm_incident_type

    rows: QuerySet[Any] = (
        Incident.objects.restrict(request.user, "view")
        .filter(type=alarm_incident_type(), status__in=IncidentStatus.OPEN)
        .order_by("reported_at", "id")
        .values("id", "lat", "lon", "status", "reported_at", "is_exercise")[:MAX_POINTS]
    )
    return JsonResponse(
        {
            "results": [
                {
                    **row,
                    "reported_at": row["reported_at"].isoformat() if row["reported_at"] else None,
                }
                for row in rows
            ]
        }
    )


def _bbox(request: HttpRequest) -> tuple[float, float, float, float] | None:
    try:
        west, south, east, north = (float(v) for v in request.GET.get("bbox", "").split(","))
    except ValueError:
        return None
    return west, south, east, north


def _district_centres(user: Any, ids: list[int]) -> dict[int, tuple[float, float, str]]:
    from shapely.geometry import shape

    found: dict[int, tuple[float, float, str]] = {}
    districts: OutlinedQuerySet[District] = District.objects.restrict(user, "view").filter(
        pk__in=ids
    )
    for district in districts.with_outlines().exclude(boundary=None):
        point = shape(district.boundary).representative_point()
        found[district.pk] = (round(point.y, 5), round(point.x, 5), district.display_name)
    return found


@login_required
@require_GET
def offline_devices(request: HttpRequest) -> JsonResponse:
    """Offline home alarms: counts per district, or points in ``bbox`` from zoom 14."""
    devices: QuerySet[Device] = Device.objects.restrict(request.user, "view").filter(
        kind=DeviceKind.FIRE_ALARM, status=DeviceStatus.OFFLINE
    )
    try:
        zoom = int(request.GET.get("zoom", "0"))
    except ValueError:
        zoom = 0
    box = _bbox(request)
    if zoom >= POINTS_FROM_ZOOM and box is not None:
        west, south, east, north = box
        rows = devices.filter(
            lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north
        ).order_by("pk")
        points = [
            {
                "id": d.pk,
                "serial": d.serial,
                "lat": d.lat,
                "lon": d.lon,
                "last_heartbeat": d.last_heartbeat.isoformat() if d.last_heartbeat else None,
            }
            for d in rows[:MAX_POINTS]
        ]
        return JsonResponse({"mode": "points", "results": points})
    counts = dict(
        devices.exclude(district=None)
        .values("district_id")
        .annotate(n=Count("id"))
        .values_list("district_id", "n")
    )
    centres = _district_centres(request.user, list(counts))
    return JsonResponse(
        {
            "mode": "districts",
            "results": [
                {"district": centres[d][2], "lat": centres[d][0], "lon": centres[d][1], "count": n}
                for d, n in sorted(counts.items())
                if d in centres
            ],
        }
    )


@login_required
@require_GET
def coverage(request: HttpRequest) -> JsonResponse:
    """Installed home alarms per district, with the district outline (GeoJSON)."""
    counts: QuerySet[Any] = (
        Device.objects.restrict(request.user, "view")
        .filter(kind=DeviceKind.FIRE_ALARM)
        .exclude(district=None)
        .values("district_id")
        .annotate(
            installed=Count("id"),
            offline=Count("id", filter=Q(status=DeviceStatus.OFFLINE)),
        )
    )
    by_district = {row["district_id"]: row for row in counts}
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "id": district.pk,
            "geometry": district.boundary,
            "properties": {
                "name": district.display_name,
                "installed": by_district[district.pk]["installed"],
                "offline": by_district[district.pk]["offline"],
            },
        }
        for district in District.objects.with_outlines()
        .filter(pk__in=list(by_district))
        .exclude(boundary=None)
        .order_by("pk")
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})

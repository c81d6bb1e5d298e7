"""Camera pages: the register (list with the region filter, detail with the density chart,
add and edit with the watched area and calibration picked on a map), a snapshot's image, and
the sections the incident and event pages show (cameras near, with their density). Thin:
scope from ``restrict``, changes through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saqshy.accounts.queries import regions_in_scope
from saqshy.accounts.regions import list_context, list_params
from saqshy.cameras import queries, services
from saqshy.cameras.choices import DensityLevel
from saqshy.cameras.filtersets import CameraFilterSet
from saqshy.cameras.forms import CameraForm
from saqshy.cameras.models import Camera, CameraSnapshot, CrowdEpisode
from saqshy.core import audit, exports, versioning
from saqshy.core.exceptions import Conflict
from saqshy.core.exports import Column
from saqshy.core.forms import call_showing_errors
from saqshy.core.scoping import user_scope
from saqshy.incidents.models import Incident

PAGE_SIZE = 50
CHART_HOURS = 24

# Never the stream address or the calibration: they stay on the camera's own page.
COLUMNS = [
    Column("#", lambda c: c.pk),
    Column(gettext_lazy("Camera"), lambda c: c.name),
    Column(gettext_lazy("Region"), lambda c: c.region.display_name),
    Column(gettext_lazy("Venue"), lambda c: c.facility.display_name if c.facility_id else ""),
    Column(gettext_lazy("Address"), lambda c: c.address),
    Column(gettext_lazy("Owner"), lambda c: c.owner.display_name),
    Column(gettext_lazy("Watched area, m²"), lambda c: round(c.watched_area_m2 or 0) or ""),
    Column(gettext_lazy("Calibrated"), lambda c: bool(c.calibration)),
    Column(gettext_lazy("Snapshots allowed"), lambda c: c.snapshots_allowed),
    Column(gettext_lazy("In service"), lambda c: c.is_active),
]


def _visible(request: HttpRequest) -> Any:
    return Camera.objects.restrict(request.user, "view").select_related(
        "region", "facility", "owner"
    )


def _may(request: HttpRequest, action: str, camera: Camera) -> bool:
    return user_scope(request.user, Camera, action).covers(camera.region_id)


@login_required
def camera_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, Camera)
    filterset = CameraFilterSet(params or None, queryset=_visible(request))
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    rows = queries.with_latest(queryset.order_by("region__name_en", "name", "id"))
    if exports.requested(params):
        return exports.export(request, rows, COLUMNS, model=Camera, stem="cameras", params=params)
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    now = timezone.now()
    return render(
        request,
        "cameras/list.html",
        {
            **list_context(request, Camera, params),
            "page": page,
            "rows": [(c, _level(queries.current_level(c, now))) for c in page],
            "can_add": not user_scope(request.user, Camera, "add").empty,
        },
    )


def _level(level: str) -> dict[str, Any]:
    return {
        "value": level,
        "label": DensityLevel.label(level),
        "colour": DensityLevel.colour(level),
    }


@login_required
def camera_detail(request: HttpRequest, pk: int) -> HttpResponse:
    camera = get_object_or_404(queries.with_latest(_visible(request)), pk=pk)
    now = timezone.now()
    norms = queries.norms(camera.region_id)
    episodes = list(CrowdEpisode.objects.filter(camera=camera).select_related("incident")[:10])
    visible_incidents: set[int] = set(
        Incident.objects.restrict(request.user, "view")
        .filter(pk__in=[e.incident_id for e in episodes if e.incident_id])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "cameras/detail.html",
        {
            "camera": camera,
            "level": _level(queries.current_level(camera, now)),
            "norms": norms,
            "hold_minutes": round(queries.hold(camera.region_id).total_seconds() / 60),
            "episodes": [(e, e.incident_id in visible_incidents) for e in episodes],
            "summary": services.reading_summary(camera),
            "chart": {
                "since": (now - dt.timedelta(hours=CHART_HOURS)).isoformat(),
                "until": now.isoformat(),
                "readings": queries.series(camera, now - dt.timedelta(hours=CHART_HOURS)),
                "warning": norms.warning,
                "critical": norms.critical,
            },
            "chart_hours": CHART_HOURS,
            "chart_text": {
                "density": _("Density, persons/m²"),
                "warning": _("Warning norm"),
                "critical": _("Critical norm"),
            },
            "can_change": _may(request, "change", camera),
        },
    )


def _form_page(request: HttpRequest, form: CameraForm, camera: Camera | None) -> HttpResponse:
    centre = (
        regions_in_scope(request.user, Camera, "change" if camera else "add")
        .exclude(centre_lat=None)
        .values_list("centre_lat", "centre_lon")
        .first()
    )
    return render(
        request,
        "cameras/edit.html",
        {
            "form": form,
            "camera": camera,
            "picker_text": {"corner": _("Corner"), "point": _("Ground point")},
            "picker": {
                "tiles": reverse("situation:tile", args=[1, 2, 3]).replace("1/2/3", "{z}/{x}/{y}"),
                "centre": centre,
            },
        },
    )


def _fields(form: CameraForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    return data


@login_required
def camera_create(request: HttpRequest) -> HttpResponse:
    if user_scope(request.user, Camera, "add").empty:
        raise PermissionDenied(_("Your role does not let you add cameras."))
    form = CameraForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = call_showing_errors(
            form,
            lambda: services.create_camera(acting_user=request.user, **_fields(form)),
            refused=_("You may not add a camera at this location."),
        )
        if saved is not None:
            messages.success(request, _("Camera added."))
            return redirect("cameras:detail", pk=saved.pk)
    return _form_page(request, form, None)


@login_required
def camera_edit(request: HttpRequest, pk: int) -> HttpResponse:
    camera = get_object_or_404(_visible(request), pk=pk)
    if not _may(request, "change", camera):
        raise PermissionDenied(_("You may view this camera but not change it."))
    form = CameraForm(request.POST or None, instance=camera, user=request.user)
    if request.method == "POST" and form.is_valid():
        fresh = Camera.objects.get(pk=camera.pk)

        def save() -> Camera:
            with transaction.atomic():
                current = versioning.guard(fresh, form.expected_version())
                return services.update_camera(
                    acting_user=request.user, camera=current, **_fields(form)
                )

        saved = call_showing_errors(
            form, save, refused=_("You may not move a camera to this location.")
        )
        if saved is not None:
            messages.success(request, _("Camera saved."))
            return redirect("cameras:detail", pk=saved.pk)
    return _form_page(request, form, camera)


@login_required
@require_POST
def camera_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    camera = get_object_or_404(_visible(request), pk=pk)
    try:
        services.deactivate_camera(
            acting_user=request.user,
            camera=camera,
            expected_version=request.POST.get("version") or None,
        )
    except Conflict as conflict:
        messages.error(request, str(conflict.detail))
    else:
        messages.success(request, _("The camera is out of service."))
    return redirect("cameras:detail", pk=pk)


@login_required
def snapshot_image(request: HttpRequest, pk: int) -> FileResponse:
    """A snapshot's image, only to those who may see its incident; every view is audited."""
    snapshot = get_object_or_404(CameraSnapshot.objects.select_related("incident"), pk=pk)
    if not Incident.objects.restrict(request.user, "view").filter(pk=snapshot.incident_id).exists():
        raise Http404
    audit.record_read(acting_user=request.user, instances=[snapshot], via="cameras:snapshot")
    try:
        handle = snapshot.image.open("rb")
    except FileNotFoundError:
        raise Http404(_("The image file is missing.")) from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="snapshot-{snapshot.pk}.jpg"'
    return response


# --- sections of other pages ------------------------------------------------------------------


def _near_rows(request: HttpRequest, lat: float, lon: float, venue_id: int | None) -> list[Any]:
    return queries.cameras_near(
        lat,
        lon,
        queries.NEAR_M,
        cameras=Camera.objects.restrict(request.user, "view"),
        venue_id=venue_id,
    )


def incident_panel(request: HttpRequest, incident: Incident) -> str:
    """Cameras near the incident (and the one whose density opened it) with their density now,
    and the snapshots kept with it; nothing when there are none the user may see."""
    if user_scope(request.user, Camera, "view").empty:
        near = []
    else:
        venue = (
            CrowdEpisode.objects.filter(incident=incident)
            .values_list("camera__facility_id", flat=True)
            .first()
        )
        near = _near_rows(request, incident.lat, incident.lon, venue)
    snapshots = list(
        CameraSnapshot.objects.filter(incident=incident)
        .select_related("camera")
        .order_by("taken_at")
    )
    if not near and not snapshots:
        return ""
    return render_to_string(
        "cameras/incident_panel.html",
        {"near": near, "snapshots": snapshots, "radius": round(queries.NEAR_M)},
        request=request,
    )


def event_panel(request: HttpRequest, gathering: Any) -> str:
    """The cameras watching the event's venue and those near it, with their density now."""
    if user_scope(request.user, Camera, "view").empty:
        return ""
    near = _near_rows(request, gathering.lat, gathering.lon, gathering.venue_id)
    return render_to_string(
        "cameras/event_panel.html",
        {"near": near, "radius": round(queries.NEAR_M)},
        request=request,
    )

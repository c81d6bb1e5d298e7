"""Every change to the camera registry, the crowd density readings and the snapshots.

Each function takes a keyword-only ``acting_user`` (``None`` = the system) and runs in one
transaction through ``saqshy.core.services`` (locked re-read, only the changed fields written,
audited, pushed live on commit).

``record_count`` is where the video counter hands over: it stores a reading (density = people
/ watched area in m²) and measures it against the region's norms ``crowd_density_warning``
and ``crowd_density_critical``. A reading at or above the critical norm opens one
``crowd_density`` incident at the camera's venue; while the crowd stays at or above the
warning norm, or that incident is open, further readings join it (its peak is noted in the
journal) instead of opening another. Once the density has been below the warning norm for
``crowd_density_hold_minutes`` and the incident is no longer open, the next crossing opens a
new one. Readings themselves are telemetry and are not audited one by one (as
``ingest.Reading``); the incident, the episode and every snapshot are.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from saqshy.accounts.queries import region_id_containing
from saqshy.cameras import calibration as calibration_rules
from saqshy.cameras import journal, queries
from saqshy.cameras.choices import DensityLevel
from saqshy.cameras.models import Camera, CameraSnapshot, CrowdEpisode, DensityReading
from saqshy.core import audit, messages, versioning
from saqshy.core import services as core_services
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name
from saqshy.incidents import services as incident_services
from saqshy.incidents.choices import IncidentSource, JournalKind
from saqshy.incidents.models import Incident, IncidentType, JournalEntry

CAMERA_FIELDS = frozenset(
    {
        "name",
        "facility",
        "address",
        "lat",
        "lon",
        "bearing",
        "watched_area",
        "stream_url",
        "owner",
        "calibration",
        "snapshots_allowed",
        "is_active",
    }
)
MAX_COUNT = 1_000_000
# A reading may come this far ahead of the server's clock (the counter's clock drifts).
CLOCK_SLACK = dt.timedelta(minutes=5)
MAX_SNAPSHOT_BYTES = 5 * 1024 * 1024
# Retention (docs/cameras.md): every reading for two days; then one per camera and quarter
# hour (the densest, so no peak is lost) up to 90 days; none after that. Readings that belong
# to a crowd episode are kept as long as the episode's incident.
KEEP_ALL = dt.timedelta(days=2)
KEEP_THINNED = dt.timedelta(days=90)
THIN_BUCKET = dt.timedelta(minutes=15)


def crowd_incident_type() -> IncidentType:
    """The incident type a dangerous density opens (setting ``CROWD_INCIDENT_TYPE``)."""
    code = getattr(settings, "CROWD_INCIDENT_TYPE", "crowd_density")
    return IncidentType.objects.get(code=code)


def camera_payload(camera: Camera) -> dict[str, Any]:
    """What the live feed carries: never the stream address or the calibration."""
    return {
        "id": camera.pk,
        "name": camera.name,
        "lat": camera.lat,
        "lon": camera.lon,
        "is_active": camera.is_active,
    }


def _unknown(changes: dict[str, Any]) -> None:
    unknown = sorted(set(changes) - CAMERA_FIELDS)
    if unknown:
        raise ValidationError({unknown[0]: [_("This field cannot be changed here.")]})


def _tidy(fields: dict[str, Any], region_id: int | None = None) -> dict[str, Any]:
    """The stored form: the region follows the location, a usable calibration is rounded, and
    the owner is an agency of that region or a national one."""
    tidy = dict(fields)
    if "lat" in tidy and "lon" in tidy:
        tidy["region_id"] = region_id_containing(float(tidy["lat"]), float(tidy["lon"]))
        region_id = tidy["region_id"]
    owner = tidy.get("owner")
    if owner is not None and owner.region_id not in (None, region_id):
        raise ValidationError(
            {"owner": [_("The owner must be an agency of the camera's region or a national one.")]}
        )
    cal = tidy.get("calibration")
    if cal and isinstance(cal, dict) and not calibration_rules.problems(cal):
        tidy["calibration"] = calibration_rules.normalised(cal)
    return tidy


# --- the registry -----------------------------------------------------------------------------


def create_camera(*, acting_user: Any, **fields: Any) -> Camera:
    """Register a camera; its region is the one containing its location."""
    _unknown(fields)
    for name in ("lat", "lon"):
        if fields.get(name) is None:
            raise ValidationError({name: [_("This field is required.")]})
    camera = Camera(**_tidy(fields))
    return core_services.create(acting_user=acting_user, instance=camera, payload=camera_payload)


def update_camera(
    *,
    acting_user: Any,
    camera: Camera,
    expected_version: str | list[str] | None = None,
    **changes: Any,
) -> Camera:
    """Edit a camera's record; only the fields that differ are written. Moving it moves its
    region with it (within the user's scope)."""
    _unknown(changes)
    if ("lat" in changes) != ("lon" in changes):
        changes.setdefault("lat", camera.lat)
        changes.setdefault("lon", camera.lon)
    return core_services.update(
        acting_user=acting_user,
        instance=camera,
        changes=_tidy(changes, camera.region_id),
        payload=camera_payload,
        expected_version=expected_version,
    )


def deactivate_camera(
    *, acting_user: Any, camera: Camera, expected_version: str | list[str] | None = None
) -> Camera:
    """Take a camera out of service: it stays in the register with its history, off the map,
    and its counts are refused."""
    return update_camera(
        acting_user=acting_user,
        camera=camera,
        expected_version=expected_version,
        is_active=False,
    )


# --- crowd density ----------------------------------------------------------------------------


def _count(count: Any) -> int:
    if isinstance(count, bool):
        raise ValidationError({"count": [_("Give a whole number of people.")]})
    try:
        value = int(count)
    except (TypeError, ValueError):
        raise ValidationError({"count": [_("Give a whole number of people.")]}) from None
    if value != count and not isinstance(count, str):
        raise ValidationError({"count": [_("Give a whole number of people.")]})
    if value < 0 or value > MAX_COUNT:
        raise ValidationError(
            {"count": [_("The count must lie between 0 and %(max)s.") % {"max": MAX_COUNT}]}
        )
    return value


def _moment(at: Any) -> dt.datetime:
    if not isinstance(at, dt.datetime):
        raise ValidationError({"at": [_("Give the date and time of the count.")]})
    if timezone.is_naive(at):
        raise ValidationError({"at": [_("Give the time with its time zone.")]})
    if at > timezone.now() + CLOCK_SLACK:
        raise ValidationError({"at": [_("The count's time lies in the future.")]})
    return at


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def _journal(incident: Incident, message: messages.Message, params: dict[str, Any]) -> None:
    JournalEntry.objects.create(
        incident=incident,
        at=timezone.now(),
        kind=JournalKind.AUTO,
        code=message.code,
        params=params,
        text=messages.english(message.code, params),
    )


def _place(camera: Camera) -> tuple[float, float, str]:
    """Where a camera's incident is: its venue when it has one, else the camera itself."""
    venue = camera.facility
    if venue is not None:
        address = venue.address or venue.display_name
        return venue.lat, venue.lon, (address or camera.address)[:255]
    return camera.lat, camera.lon, camera.address[:255]


def _open_incident(
    acting_user: Any, camera: Camera, reading: DensityReading, norms: queries.Norms
) -> CrowdEpisode:
    lat, lon, address = _place(camera)
    params = {
        "camera": camera.name,
        "density": _fmt(reading.density or 0),
        "count": reading.count,
        "area": f"{camera.watched_area_m2 or 0:.0f}",
        "critical": _fmt(norms.critical),
    }
    # The system opens it on the norm, as a sensor would: the region's, not the caller's desk.
    incident = incident_services.report_incident(
        acting_user=None,
        type=crowd_incident_type(),
        lat=lat,
        lon=lon,
        address=address,
        source=IncidentSource.CAMERA,
        description=messages.english(journal.OPENED.code, params),
        reported_at=reading.at,
    )
    _journal(incident, journal.OPENED, params)
    episode = CrowdEpisode(
        camera=camera,
        incident=incident,
        started_at=reading.at,
        peak_density=reading.density or 0,
        peak_count=reading.count,
        peak_at=reading.at,
    )
    episode.save()
    audit.record(
        acting_user=acting_user,
        changes=[
            audit.Change(
                "create", episode, episode.scope_region_id(), after=audit.snapshot(episode)
            )
        ],
    )
    return episode


def _over(episode: CrowdEpisode, at: dt.datetime, hold: dt.timedelta) -> bool:
    """Whether the episode has ended by ``at``: below the warning norm for the hold time and
    its incident no longer open."""
    if episode.below_since is None or at - episode.below_since < hold:
        return False
    return episode.incident is None or not episode.incident.is_open


def _follow(
    acting_user: Any, episode: CrowdEpisode, reading: DensityReading, camera: Camera
) -> None:
    """A reading inside an episode: the peak follows it; a critical one after a lull is noted."""
    changes: dict[str, Any] = {}
    if reading.level == DensityLevel.NORMAL:
        if episode.below_since is None:
            changes["below_since"] = reading.at
    else:
        if episode.below_since is not None:
            changes["below_since"] = None
        density = reading.density or 0
        if density > episode.peak_density:
            changes.update(peak_density=density, peak_count=reading.count, peak_at=reading.at)
    if changes:
        core_services.save_changes(acting_user=acting_user, instance=episode, changes=changes)
    incident = episode.incident
    if incident is None or reading.level != DensityLevel.CRITICAL:
        return
    params = {"camera": camera.name, "density": _fmt(reading.density or 0), "count": reading.count}
    if "peak_density" in changes:
        _journal(incident, journal.PEAK, params)
    elif "below_since" in changes:
        _journal(incident, journal.AGAIN, params)


def record_count(
    *, acting_user: Any, camera: Camera, at: dt.datetime, count: int
) -> DensityReading:
    """Store the number of people a camera counted in its watched area at ``at`` and act on
    the density it makes (see the module docstring). Returns the stored reading.

    Refused with a field error: a count that is not a whole number in 0…1,000,000
    (``count``), a naive or future time (``at``), a camera out of service (``camera``).
    A camera without a watched area stores the count with no density and opens nothing.
    """
    count = _count(count)
    at = _moment(at)
    core_services.require_scope(acting_user, DensityReading(camera=camera), "add")
    with transaction.atomic():
        # One camera's readings are decided one at a time: two at once never open two incidents.
        locked = versioning.lock(camera)
        if not locked.is_active:
            raise ValidationError({"camera": [_("This camera is out of service.")]})
        area = locked.watched_area_m2
        density = round(count / area, 2) if area else None
        norms = queries.norms(locked.region_id)
        reading = DensityReading(
            camera=locked, at=at, count=count, density=density, level=norms.level(density)
        )
        episode: CrowdEpisode | None = (
            CrowdEpisode.objects.select_for_update(of=("self",))
            .filter(camera=locked, ended_at=None)
            .select_related("incident")
            .first()
        )
        if episode is not None and _over(episode, at, queries.hold(locked.region_id)):
            assert episode.below_since is not None
            ended = min(at, episode.below_since + queries.hold(locked.region_id))
            core_services.save_changes(
                acting_user=acting_user, instance=episode, changes={"ended_at": ended}
            )
            episode = None
        if episode is None and reading.level == DensityLevel.CRITICAL:
            episode = _open_incident(acting_user, locked, reading, norms)
        elif episode is not None:
            _follow(acting_user, episode, reading, locked)
        reading.episode = episode
        reading.save()
        publish_on_commit(
            topic="densityreading",
            op="created",
            object_id=reading.pk,
            region_id=locked.region_id,
            perm=perm_name(Camera, "view"),
            data={
                "camera_id": locked.pk,
                "density": density,
                "count": count,
                "level": reading.level,
                "at": at.isoformat(),
            },
        )
    return reading


def prune_readings(*, acting_user: Any = None, now: dt.datetime | None = None) -> dict[str, int]:
    """Apply the readings' retention (see ``KEEP_ALL``): thin readings older than two days to
    the densest one per camera and quarter hour, delete those older than 90 days; readings of
    a crowd episode are kept. Returns how many were thinned and deleted. Derived telemetry:
    the counts are audited as one entry, not each row."""
    now = now or timezone.now()
    old = DensityReading.objects.filter(at__lt=now - KEEP_ALL, episode=None)
    with transaction.atomic():
        expired, _ = old.filter(at__lt=now - KEEP_THINNED).delete()
        drop: list[int] = []
        keep: dict[tuple[int, int], tuple[float, int]] = {}
        bucket = THIN_BUCKET.total_seconds()
        rows = old.order_by("camera_id", "at", "id").values_list(
            "id", "camera_id", "at", "density", "count"
        )
        for pk, camera_id, at, density, count in rows.iterator():
            key = (camera_id, int(at.timestamp() // bucket))
            score = density if density is not None else float(count)
            best = keep.get(key)
            if best is None:
                keep[key] = (score, pk)
            elif score > best[0]:
                drop.append(best[1])
                keep[key] = (score, pk)
            else:
                drop.append(pk)
        thinned = 0
        for start in range(0, len(drop), 500):
            deleted, _ = DensityReading.objects.filter(pk__in=drop[start : start + 500]).delete()
            thinned += deleted
    return {"thinned": thinned, "expired": expired}


def reading_summary(camera: Camera) -> dict[str, Any]:
    """How many readings a camera keeps and over which span (for its page)."""
    found: dict[str, Any] = DensityReading.objects.filter(camera=camera).aggregate(
        n=Count("id"), first=Min("at"), last=Max("at")
    )
    return found


# --- snapshots --------------------------------------------------------------------------------


def _jpeg(image_bytes: bytes) -> tuple[int, int]:
    refused = ValidationError({"image": [_("Only a JPEG image is accepted.")]})
    if not isinstance(image_bytes, (bytes, bytearray)) or not image_bytes:
        raise refused
    if len(image_bytes) > MAX_SNAPSHOT_BYTES:
        raise ValidationError(
            {
                "image": [
                    _("An image may be at most %(mb)s MB.") % {"mb": MAX_SNAPSHOT_BYTES // 2**20}
                ]
            }
        )
    try:
        with Image.open(io.BytesIO(image_bytes)) as probe:
            if probe.format != "JPEG":
                raise refused
            size = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refused from None
    return size


def attach_snapshot(
    *,
    acting_user: Any,
    camera: Camera,
    incident: Incident,
    image_bytes: bytes,
    taken_at: dt.datetime | None = None,
) -> CameraSnapshot:
    """Keep one still image (JPEG) from ``camera`` with ``incident``.

    Refused, and nothing stored, unless the camera's owner allows snapshots
    (``camera.snapshots_allowed``, checked on the locked row) and the user may change the
    incident. The file goes under ``MEDIA_ROOT`` (never a public URL); the row is audited and
    the incident's journal says an image was kept.
    """
    width, height = _jpeg(image_bytes)
    core_services.require_scope(acting_user, incident, "change")
    stored: list[Any] = []
    try:
        with transaction.atomic():
            locked = versioning.lock(camera)
            if not locked.snapshots_allowed:
                raise PermissionDenied(
                    _("The owner of camera %(camera)s does not allow keeping its images.")
                    % {"camera": locked.name}
                )
            snapshot = CameraSnapshot(
                camera=locked,
                incident=incident,
                taken_at=taken_at or timezone.now(),
                width=width,
                height=height,
                size_bytes=len(image_bytes),
                taken_by=acting_user if getattr(acting_user, "pk", None) else None,
            )
            snapshot.image.save("snapshot.jpg", ContentFile(bytes(image_bytes)), save=False)
            stored.append(snapshot.image)
            snapshot.save()
            audit.record(
                acting_user=acting_user,
                changes=[
                    audit.Change(
                        "create",
                        snapshot,
                        snapshot.scope_region_id(),
                        after=audit.snapshot(snapshot),
                    )
                ],
            )
            _journal(incident, journal.SNAPSHOT, {"camera": locked.name})
            publish_on_commit(
                topic="camerasnapshot",
                op="created",
                object_id=snapshot.pk,
                region_id=snapshot.scope_region_id(),
                perm=perm_name(Incident, "view"),
                data={"incident_id": incident.pk, "camera_id": locked.pk},
            )
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise
    return snapshot

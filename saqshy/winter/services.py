"""Every change to warming points, stranded reports and standby records.

Each function takes a keyword-only ``acting_user`` (``None`` = the system), runs in one
transaction through ``saqshy.core.services`` (locked re-read, only the changed fields
written, audited, pushed live on commit). A stranded report opens a ``stranded`` incident on
the duty desk and writes its steps into the incident's journal; completing its evacuation
adds its people to the warming point's occupancy in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.queries import region_id_containing
from saqshy.core import services as core_services
from saqshy.core import versioning
from saqshy.incidents import services as incident_services
from saqshy.incidents.choices import IncidentStatus
from saqshy.incidents.models import IncidentType
from saqshy.winter import queries
from saqshy.winter.choices import StrandedStatus
from saqshy.winter.models import Standby, StrandedReport, WarmingPoint

INCIDENT_TYPE = "stranded"
POINT_FIELDS = frozenset(
    {
        "name",
        "address",
        "region",
        "district",
        "lat",
        "lon",
        "segment",
        "capacity",
        "occupancy",
        "heating",
        "food",
        "fuel",
        "medical",
        "staff_on_duty",
        "open_24h",
        "opens_at",
        "closes_at",
        "phone",
        "is_open",
        "agency",
    }
)


def point_payload(point: WarmingPoint) -> dict[str, Any]:
    return {
        "id": point.pk,
        "name": point.name,
        "lat": point.lat,
        "lon": point.lon,
        "capacity": point.capacity,
        "occupancy": point.occupancy,
        "free_places": point.free_places,
        "is_open": point.is_open,
    }


def report_payload(report: StrandedReport) -> dict[str, Any]:
    """What the live feed carries: never the caller's phone."""
    return {
        "id": report.pk,
        "status": report.status,
        "lat": report.lat,
        "lon": report.lon,
        "people": report.people,
        "children": report.children,
        "point_id": report.point_id,
    }


def standby_payload(standby: Standby) -> dict[str, Any]:
    return {
        "id": standby.pk,
        "equipment_type": standby.equipment_type,
        "readiness": standby.readiness,
        "lat": standby.lat,
        "lon": standby.lon,
        "segment_id": standby.segment_id,
    }


def _unknown(changes: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationError({unknown[0]: [_("This field cannot be changed here.")]})


# --- warming points ---------------------------------------------------------------------------


def create_point(*, acting_user: Any, **fields: Any) -> WarmingPoint:
    """Open a warming point (its segment, when not given, is the road nearest to it)."""
    _unknown(fields, POINT_FIELDS)
    if fields.get("segment") is None and "lat" in fields and "lon" in fields:
        fields["segment"] = queries.locate_segment(float(fields["lat"]), float(fields["lon"]))
    point = WarmingPoint(**fields)
    return core_services.create(acting_user=acting_user, instance=point, payload=point_payload)


def update_point(
    *,
    acting_user: Any,
    point: WarmingPoint,
    expected_version: str | list[str] | None = None,
    **changes: Any,
) -> WarmingPoint:
    """Edit a point's record (capacity, services, hours, contact, open or closed …)."""
    _unknown(changes, POINT_FIELDS)
    return core_services.update(
        acting_user=acting_user,
        instance=point,
        changes=changes,
        payload=point_payload,
        expected_version=expected_version,
    )


def _bounded(point: WarmingPoint, occupancy: Any) -> int:
    try:
        value = int(occupancy)
    except (TypeError, ValueError):
        raise ValidationError({"occupancy": [_("Give a whole number of people.")]}) from None
    if value < 0:
        raise ValidationError({"occupancy": [_("The number of people cannot be negative.")]})
    if value > point.capacity:
        raise ValidationError(
            {
                "occupancy": [
                    _("The point holds at most %(capacity)s people.") % {"capacity": point.capacity}
                ]
            }
        )
    return value


def set_occupancy(
    *,
    acting_user: Any,
    point: WarmingPoint,
    occupancy: Any,
    expected_version: str | list[str] | None = None,
) -> WarmingPoint:
    """How many people are in the point now (0..capacity); only that field is written."""

    def check(locked: WarmingPoint) -> None:
        _bounded(locked, occupancy)

    return core_services.update(
        acting_user=acting_user,
        instance=point,
        changes={"occupancy": _bounded(point, occupancy)},
        payload=point_payload,
        expected_version=expected_version,
        check=check,
    )


# --- stranded reports -------------------------------------------------------------------------


def _note(acting_user: Any, report: StrandedReport, text: str) -> None:
    incident = report.incident
    if incident is not None:
        incident_services.add_note(acting_user=acting_user, incident=incident, text=text)


def report_stranded(
    *,
    acting_user: Any,
    location: str,
    lat: float,
    lon: float,
    people: int,
    reported_at: dt.datetime | None = None,
    **fields: Any,
) -> StrandedReport:
    """Register people stuck on a road: the report, its ``stranded`` incident on the duty desk
    (with the nearest warming point that has places for all of them in its journal)."""
    allowed = {
        "segment",
        "children",
        "medical_needs",
        "fuel_left",
        "vehicles",
        "vehicle_kind",
        "reporter_phone",
        "note",
    }
    _unknown(fields, frozenset(allowed))
    at = reported_at or timezone.now()
    segment = fields.pop("segment", None) or queries.locate_segment(float(lat), float(lon))
    region_id = region_id_containing(float(lat), float(lon))
    report = StrandedReport(
        location=location,
        lat=lat,
        lon=lon,
        people=people,
        reported_at=at,
        segment=segment,
        region_id=region_id,
        **fields,
    )
    core_services.require_scope(acting_user, report, "add")
    report.full_clean()
    with transaction.atomic():
        description = _(
            "%(people)s people (%(children)s children) in %(vehicles)s × %(kind)s stuck at "
            "%(where)s. Fuel: %(fuel)s. Medical needs: %(medical)s."
        ) % {
            "people": report.people,
            "children": report.children,
            "vehicles": report.vehicles,
            "kind": str(report.get_vehicle_kind_display()).lower(),
            "where": location,
            "fuel": str(report.get_fuel_left_display()).lower(),
            "medical": report.medical_needs or _("none reported"),
        }
        report.incident = incident_services.report_incident(
            acting_user=acting_user,
            type=IncidentType.objects.get(code=INCIDENT_TYPE),
            lat=lat,
            lon=lon,
            reported_at=at,
            description=description,
            address=location[:255],
            reporter=report.reporter_phone,
        )
        core_services.create(acting_user=acting_user, instance=report, payload=report_payload)
        nearest = queries.nearest_points(
            float(lat), float(lon), people=report.people, vehicle=report.vehicle_kind, limit=1
        )
        if nearest:
            near = nearest[0]
            text = _(
                "Nearest warming point with places: %(point)s, %(address)s — %(minutes)s min, "
                "%(free)s free places."
            ) % {
                "point": near.point.name,
                "address": near.point.address,
                "minutes": near.minutes,
                "free": near.point.free_places,
            }
        else:
            text = _("No open warming point has places for %(people)s people.") % {
                "people": report.people
            }
        _note(acting_user, report, text)
    return report


def assign_point(
    *,
    acting_user: Any,
    report: StrandedReport,
    point: WarmingPoint,
    expected_version: str | list[str] | None = None,
) -> StrandedReport:
    """Send the report's people to a warming point that is open and has places for them."""

    def check(locked: StrandedReport) -> None:
        fresh = WarmingPoint.objects.get(pk=point.pk)
        if not fresh.is_open:
            raise ValidationError({"point": [_("This warming point is closed.")]})
        if fresh.free_places < locked.people:
            raise ValidationError(
                {
                    "point": [
                        _("%(point)s has %(free)s free places for %(people)s people.")
                        % {"point": fresh.name, "free": fresh.free_places, "people": locked.people}
                    ]
                }
            )

    with transaction.atomic():
        core_services.transition(
            acting_user=acting_user,
            instance=report,
            states=StrandedStatus,
            name="assign",
            changes={"point": point, "assigned_at": timezone.now()},
            check=check,
            expected_version=expected_version,
            payload=report_payload,
        )
        _note(
            acting_user,
            report,
            _("Assigned to the warming point %(point)s, %(address)s.")
            % {"point": point.name, "address": point.address},
        )
    return report


def start_evacuation(
    *,
    acting_user: Any,
    report: StrandedReport,
    expected_version: str | list[str] | None = None,
) -> StrandedReport:
    """The people are being taken to their warming point."""
    with transaction.atomic():
        core_services.transition(
            acting_user=acting_user,
            instance=report,
            states=StrandedStatus,
            name="start",
            changes={"evacuation_started_at": timezone.now()},
            expected_version=expected_version,
            payload=report_payload,
        )
        _note(acting_user, report, _("Evacuation to the warming point started."))
    return report


def complete_evacuation(
    *,
    acting_user: Any,
    report: StrandedReport,
    expected_version: str | list[str] | None = None,
) -> StrandedReport:
    """The people are in the warming point: its occupancy grows by them (refused, and nothing
    written, when it no longer has the places)."""
    with transaction.atomic():
        core_services.transition(
            acting_user=acting_user,
            instance=report,
            states=StrandedStatus,
            name="complete",
            changes={"evacuated_at": timezone.now()},
            expected_version=expected_version,
            payload=report_payload,
        )
        point = report.point
        if point is None:
            raise ValidationError({"point": [_("Choose a warming point.")]})
        locked = versioning.lock(point)
        if locked.occupancy + report.people > locked.capacity:
            raise ValidationError(
                {
                    "point": [
                        _("%(point)s has %(free)s free places for %(people)s people.")
                        % {
                            "point": locked.name,
                            "free": locked.free_places,
                            "people": report.people,
                        }
                    ]
                }
            )
        # The report's service decided it: the point may lie in a neighbouring region.
        core_services.save_changes(
            acting_user=acting_user,
            instance=locked,
            changes={"occupancy": locked.occupancy + report.people},
            payload=point_payload,
        )
        _note(
            acting_user,
            report,
            _("%(people)s people evacuated to %(point)s.")
            % {"people": report.people, "point": locked.name},
        )
    return report


def close_report(
    *,
    acting_user: Any,
    report: StrandedReport,
    note: str = "",
    expected_version: str | list[str] | None = None,
) -> StrandedReport:
    """Close the report (its people are safe, or it was a false call); its incident closes."""
    changes: dict[str, Any] = {"closed_at": timezone.now()}
    if note:
        changes["note"] = note[:500]
    with transaction.atomic():
        core_services.transition(
            acting_user=acting_user,
            instance=report,
            states=StrandedStatus,
            name="close",
            changes=changes,
            expected_version=expected_version,
            payload=report_payload,
        )
        incident = report.incident
        if incident is not None and incident.status in IncidentStatus.OPEN:
            closer = acting_user
            if not incident_services.may_end(closer, incident, "close"):
                closer = None
            incident_services.close(
                acting_user=closer,
                incident=incident,
                resolution=note or _("The stranded people are safe."),
            )
    return report


# --- standby ----------------------------------------------------------------------------------


def create_standby(*, acting_user: Any, **fields: Any) -> Standby:
    """Hold a unit ready for a segment or a region over a window."""
    standby = Standby(**fields)
    return core_services.create(acting_user=acting_user, instance=standby, payload=standby_payload)


def update_standby(
    *,
    acting_user: Any,
    standby: Standby,
    expected_version: str | list[str] | None = None,
    **changes: Any,
) -> Standby:
    return core_services.update(
        acting_user=acting_user,
        instance=standby,
        changes=changes,
        payload=standby_payload,
        expected_version=expected_version,
    )


def end_standby(*, acting_user: Any, standby: Standby) -> None:
    core_services.delete(acting_user=acting_user, instance=standby)

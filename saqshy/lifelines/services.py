"""Every change to lifelines records: sites, alerts, outages and the crew sent to them.

Each function takes a keyword-only ``acting_user`` (``None`` = the system), runs in one
transaction, appends the audit entry and queues the live message on commit. Telemetry itself
is not audited (``ingest.Reading`` keeps it); decisions taken from it are: an alert raised or
cleared, an outage opened, a crew sent, an outage restored.

Only the region's energy agency changes outages (its planners and dispatchers, by role rule
``lifelines.*``); everybody with a view grant in the region reads them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.choices import AgencyKind
from saqshy.accounts.models import Agency, Grant
from saqshy.core import audit
from saqshy.core import services as core_services
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name
from saqshy.incidents import services as incident_services
from saqshy.incidents.choices import IncidentSource, IncidentStatus
from saqshy.incidents.models import IncidentType
from saqshy.lifelines import queries
from saqshy.lifelines.choices import AlertStatus, OutageStatus
from saqshy.lifelines.models import Alert, Outage, UtilitySite

INCIDENT_TYPE = "utility_outage"


def energy_agency(region_id: int) -> Agency | None:
    """The agency of kind ``energy`` serving a region (its own before a national one)."""
    rows = Agency.objects.filter(kind=AgencyKind.ENERGY)
    return rows.filter(region_id=region_id).first() or rows.filter(region=None).first()


def is_system(acting_user: Any) -> bool:
    """The system acts: ``None``, or the ingest consumer's account (inactive, no password),
    under which decisions taken from device messages are audited."""
    if acting_user is None:
        return True
    usable = getattr(acting_user, "has_usable_password", None)
    return not getattr(acting_user, "is_active", True) and usable is not None and not usable()


def _desk(acting_user: Any) -> Any:
    """Who the incident services see: the system (None) for the ingest account, which holds
    no grant, else the person."""
    return None if is_system(acting_user) else acting_user


def may_edit(acting_user: Any, region_id: int) -> bool:
    """Whether ``acting_user`` may change outages of a region: the system, a superuser, or a
    holder of the change permission with a grant of the region's energy agency."""
    if is_system(acting_user) or getattr(acting_user, "is_superuser", False):
        return True
    if not getattr(acting_user, "is_authenticated", False):
        return False
    agency = energy_agency(region_id)
    if agency is None:
        return False
    probe = Outage(region_id=region_id, agency=agency)
    try:
        core_services.require_scope(acting_user, probe, "change")
    except PermissionDenied:
        return False
    return Grant.objects.filter(user=acting_user, agency=agency).exists()


def _require_edit(acting_user: Any, region_id: int) -> None:
    if not may_edit(acting_user, region_id):
        raise PermissionDenied(_("Only the region's energy agency changes utility outages."))


def _outage_payload(outage: Outage) -> dict[str, Any]:
    return outage.map_feature()


def _site_payload(site: UtilitySite) -> dict[str, Any]:
    return {"id": site.pk, "code": site.code, "kind": site.kind}


# --- sites ------------------------------------------------------------------------------------


def create_site(*, acting_user: Any, **fields: Any) -> UtilitySite:
    """Watch a facility as a utility site (its gateway device must exist)."""
    site = UtilitySite(**fields)
    return core_services.create(acting_user=acting_user, instance=site, payload=_site_payload)


def set_service_area(
    *, acting_user: Any, site: UtilitySite, area: dict[str, Any] | None, region_slug: str
) -> UtilitySite:
    """Set the site's service area and count the buildings and people inside it."""
    buildings = queries.buildings_in(region_slug, area) if area else []
    people = queries.people_in(site.region_id, buildings)
    return core_services.update(
        acting_user=acting_user,
        instance=site,
        changes={"service_area": area, "buildings": len(buildings), "people": people},
        payload=_site_payload,
    )


# --- alerts -----------------------------------------------------------------------------------


def _audit_create(acting_user: Any, instance: Any) -> None:
    audit.record(
        acting_user=acting_user,
        changes=[
            audit.Change(
                "create", instance, instance.scope_region_id(), after=audit.snapshot(instance)
            )
        ],
    )


def start_alert(
    *,
    acting_user: Any,
    site: UtilitySite,
    parameter: Any,
    value: float,
    expected: str,
    at: dt.datetime,
) -> Alert:
    """A parameter went out of range: a pending alert from ``at``."""
    with transaction.atomic():
        alert = Alert.objects.create(
            site=site,
            parameter=parameter,
            value=value,
            expected=expected,
            started=at,
            last_at=at,
            status=AlertStatus.PENDING,
        )
        _audit_create(acting_user, alert)
    return alert


def raise_alert(*, acting_user: Any, alert: Alert, at: dt.datetime) -> Outage:
    """The breach lasted its threshold's duration: raise the alert and open the outage."""
    with transaction.atomic():
        core_services.save_changes(
            acting_user=acting_user,
            instance=alert,
            changes={"status": AlertStatus.RAISED, "raised_at": at},
        )
        return open_outage(acting_user=acting_user, alert=alert, at=at)


def clear_alert(*, acting_user: Any, alert: Alert, at: dt.datetime) -> Alert:
    """Back in range (a pending breach that never lasted, or a restored outage)."""
    core_services.save_changes(
        acting_user=acting_user,
        instance=alert,
        changes={"status": AlertStatus.CLEARED, "cleared_at": at},
    )
    return alert


# --- outages ----------------------------------------------------------------------------------


def open_outage(*, acting_user: Any, alert: Alert, at: dt.datetime, cause: str = "") -> Outage:
    """Open the site's outage (one at a time): a utility-outage incident at the site for the
    duty desk, with the buildings and people of the service area; then send the crew on
    shift at the site's repair-crew post. A site with an open outage gets no second one."""
    site = UtilitySite.objects.select_related("facility", "agency").get(pk=alert.site_id)
    with transaction.atomic():
        existing = Outage.objects.filter(site=site, restored_at=None).first()
        if existing is not None:
            return existing
        facility = site.facility
        description = _(
            "%(parameter)s at %(site)s out of range since %(time)s: %(value)s (expected "
            "%(expected)s). About %(people)s people in %(buildings)s buildings affected."
        ) % {
            "parameter": alert.parameter.display_name,
            "site": str(facility),
            "time": timezone.localtime(alert.started).strftime("%d.%m.%Y %H:%M"),
            "value": f"{alert.value:.1f}",
            "expected": alert.expected,
            "people": site.people,
            "buildings": site.buildings,
        }
        incident = incident_services.report_incident(
            acting_user=_desk(acting_user),
            type=IncidentType.objects.get(code=INCIDENT_TYPE),
            lat=facility.lat,
            lon=facility.lon,
            reported_at=at,
            source=IncidentSource.SENSOR,
            description=description,
            address=facility.address,
        )
        outage = Outage(
            site=site,
            alert=alert,
            incident=incident,
            region_id=site.region_id,
            agency=site.agency,
            started=alert.started,
            cause=cause or description[:255],
            buildings=site.buildings,
            people=site.people,
        )
        outage.full_clean()
        outage.save()
        _audit_create(acting_user, outage)
        publish_on_commit(
            topic="outage",
            op="created",
            object_id=outage.pk,
            region_id=outage.region_id,
            perm=perm_name(Outage, "view"),
            data=_outage_payload(outage),
        )
        send_crew(acting_user=acting_user, outage=outage, at=at)
    return outage


def send_crew(*, acting_user: Any, outage: Outage, at: dt.datetime | None = None) -> Outage:
    """Send the repair crew on shift now at the site's post; recorded on the outage and as a
    line in the incident's journal. A post with nobody on shift is named and left open."""
    at = at or timezone.now()
    post = queries.crew_post(outage.site)
    if post is None:
        return outage
    shifts = queries.crew_on_shift(post, at)
    names = ", ".join(
        dict.fromkeys(f"{s.person.last_name} {s.person.first_name}".strip() for s in shifts)
    )
    with transaction.atomic():
        changes: dict[str, Any] = {"crew_post": post}
        if names:
            changes.update({"crew": names, "crew_sent_at": at})
        core_services.save_changes(
            acting_user=acting_user, instance=outage, changes=changes, payload=_outage_payload
        )
        if names and outage.status == OutageStatus.OPEN:
            core_services.transition(
                acting_user=acting_user,
                instance=outage,
                states=OutageStatus,
                to=OutageStatus.CREW_SENT,
                scope_action=None,
                payload=_outage_payload,
            )
        if outage.incident is not None:
            text = (
                _("Crew sent (%(post)s): %(crew)s.") % {"post": post, "crew": names}
                if names
                else _("Nobody is on shift at %(post)s: send a repair crew.") % {"post": post}
            )
            incident_services.add_note(
                acting_user=_desk(acting_user), incident=outage.incident, text=text
            )
    return outage


def update_outage(
    *, acting_user: Any, outage: Outage, expected_version: str | None = None, **changes: Any
) -> Outage:
    """Edit the register's fields (cause, crew, estimated restoration)."""
    _require_edit(acting_user, outage.region_id)
    allowed = {"cause", "crew", "estimated_restoration"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("This field cannot be changed here.")]})
    return core_services.update(
        acting_user=acting_user,
        instance=outage,
        changes=changes,
        payload=_outage_payload,
        expected_version=expected_version,
    )


def restore_outage(
    *,
    acting_user: Any,
    outage: Outage,
    at: dt.datetime | None = None,
    expected_version: str | None = None,
) -> Outage:
    """Supply is back: the outage is restored, its alert cleared and its incident closed."""
    _require_edit(acting_user, outage.region_id)
    at = at or timezone.now()
    with transaction.atomic():
        core_services.transition(
            acting_user=acting_user,
            instance=outage,
            states=OutageStatus,
            to=OutageStatus.RESTORED,
            changes={
                "restored_at": at,
                "restored_by": acting_user if getattr(acting_user, "pk", None) else None,
            },
            scope_action=None,
            expected_version=expected_version,
            payload=_outage_payload,
        )
        if outage.alert_id is not None:
            alert = Alert.objects.get(pk=outage.alert_id)
            if alert.cleared_at is None:
                clear_alert(acting_user=acting_user, alert=alert, at=at)
        incident = outage.incident
        if incident is not None and incident.status in IncidentStatus.OPEN:
            # The energy agency's word that supply is back closes the call the system opened,
            # on the system's authority where the person's role may not close calls.
            closer = _desk(acting_user)
            if not incident_services.may_end(closer, incident, "close"):
                closer = None
            incident_services.close(
                acting_user=closer,
                incident=incident,
                resolution=_("Supply restored at %(site)s.") % {"site": outage.site},
            )
    return outage

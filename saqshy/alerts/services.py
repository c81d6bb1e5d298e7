"""Every change to public alerts: write a draft, submit it, approve and publish it, update or
cancel a published alert, and record alerts received from other agencies' feeds.

Each function takes a keyword-only ``acting_user`` (``None`` = the system), runs in one
transaction through the shared write path (scope, audit, live push on commit; topic
``alert``). Publication builds the CAP 1.2 XML and validates it against the OASIS schema
first: an invalid alert is refused with the schema's message and nothing changes. An update
or cancellation is a new alert referring to the published one; when it is published the
original stops being active.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.models import District, Region
from saqshy.alerts import cap
from saqshy.alerts.choices import (
    LANGUAGE_CODES,
    AreaKind,
    CapStatus,
    Category,
    Certainty,
    MsgType,
    Severity,
    Source,
    State,
    Urgency,
)
from saqshy.alerts.models import Alert, AlertArea, AlertInfo
from saqshy.algorithms import cap_areas
from saqshy.core import services as core_services
from saqshy.core.exceptions import Conflict
from saqshy.roads.models import Segment

YEARS = (2000, 2100)
"""The years an alert's onset and expiry may fall in."""
SEGMENT_BUFFER_KM = 10.0
"""How far either side of a road an alert along it reaches."""
INFO_FIELDS = (
    "category", "event", "urgency", "severity", "certainty", "headline", "description",
    "instruction", "onset", "expires", "web", "contact",
)  # fmt: skip
AREA_FIELDS = (
    "kind", "area_desc", "names", "area_region", "district", "segment", "polygons", "circles",
    "geocodes",
)  # fmt: skip
TEXT_LIMITS = {"event": 255, "headline": 255, "contact": 255, "web": 500}


def sender() -> str:
    """Our ``<sender>``: the setting ``SAQSHY_CAP_SENDER``."""
    return str(getattr(settings, "SAQSHY_CAP_SENDER", "alerts@saqshy.kz"))


def alert_payload(alert: Alert) -> dict[str, Any]:
    """What the live list and map need to refresh an alert."""
    return {
        "identifier": alert.identifier,
        "state": alert.state,
        "active": alert.active,
        "is_exercise": alert.is_exercise,
    }


def _clean(value: Any) -> Any:
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


def next_identifier(region: Region) -> str:
    """``kz.saqshy.<region>.<n>``: the next free number among the region's alerts."""
    prefix = f"kz.saqshy.{region.slug}."
    n = Alert.objects.filter(identifier__startswith=prefix).count() + 1
    while Alert.objects.filter(identifier=f"{prefix}{n}").exists():
        n += 1
    return f"{prefix}{n}"


# Areas -----------------------------------------------------------------------------------


def _names(place: Any) -> dict[str, str]:
    return {
        "kk-KZ": place.name_kk or place.name_ru or place.name_en,
        "ru-KZ": place.name_ru or place.name_en,
        "en-US": place.name_en or place.name_ru,
    }


def region_area(region: Region) -> dict[str, Any]:
    """A whole region: its simplified boundary, named, with its ISO 3166-2 code."""
    if not region.boundary:
        raise ValidationError({"area": [_("This region has no boundary to draw the area.")]})
    return {
        "kind": AreaKind.REGION,
        "area_region": region,
        "area_desc": region.display_name,
        "names": _names(region),
        "polygons": cap_areas.boundary_rings(region.boundary),
        "geocodes": [["ISO3166-2", region.iso_code]],
    }


def district_area(district: District) -> dict[str, Any]:
    """A district: its simplified boundary, named, with its KATO code when known."""
    if not district.boundary:
        raise ValidationError({"area": [_("This district has no boundary to draw the area.")]})
    kato = getattr(district, "kato", "") or ""
    return {
        "kind": AreaKind.DISTRICT,
        "district": district,
        "area_region": district.region,
        "area_desc": f"{district.display_name}, {district.region.display_name}",
        "names": {
            code: f"{district_name}, {region_name}"
            for (code, district_name), region_name in zip(
                _names(district).items(), _names(district.region).values(), strict=True
            )
        },
        "polygons": cap_areas.boundary_rings(district.boundary),
        "geocodes": [["KATO", kato]] if kato else [],
    }


def segment_area(segment: Segment, km: float = SEGMENT_BUFFER_KM) -> dict[str, Any]:
    """A road segment and ``km`` either side of it."""
    coords = segment.geometry.get("coordinates") or []
    if len(coords) < 2:
        raise ValidationError({"area": [_("This road segment has no line to draw the area.")]})
    road = f" ({segment.number})" if segment.number else ""
    return {
        "kind": AreaKind.SEGMENT,
        "segment": segment,
        "area_region": segment.region,
        "area_desc": f"{segment.title}{road}",
        "polygons": [cap_areas.buffered_line(coords, km)],
    }


def drawn_area(points: Any, area_desc: str) -> dict[str, Any]:
    """A polygon drawn on the map (``[[lon, lat], …]``) with the name the author gives it."""
    try:
        ring = cap_areas.drawn_ring(points)
    except (ValueError, TypeError, IndexError) as error:
        raise ValidationError(
            {"polygon": [_("Draw a closed area of at least three points.")]}
        ) from error
    if not _clean(area_desc):
        raise ValidationError({"area_desc": [_("Name the area people will recognise.")]})
    return {"kind": AreaKind.DRAWN, "area_desc": _clean(area_desc), "polygons": [ring]}


def make_area(
    *,
    kind: str,
    region: Region | None = None,
    district: District | None = None,
    segment: Segment | None = None,
    polygon: Any = None,
    area_desc: str = "",
) -> dict[str, Any]:
    """One area from a form or the API: the thing picked for its ``kind``, which must be
    given (the error names the missing field)."""
    if kind == AreaKind.REGION:
        if region is None:
            raise ValidationError({"region": [_("Choose a region.")]})
        return region_area(region)
    if kind == AreaKind.DISTRICT:
        if district is None:
            raise ValidationError({"district": [_("Choose a district.")]})
        return district_area(district)
    if kind == AreaKind.SEGMENT:
        if segment is None:
            raise ValidationError({"segment": [_("Choose a road segment.")]})
        return segment_area(segment)
    if kind == AreaKind.DRAWN:
        return drawn_area(polygon or [], area_desc)
    raise ValidationError({"kind": [_("Choose a value from the list.")]})


# Drafts ----------------------------------------------------------------------------------


def _check_infos(infos: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if not infos:
        raise ValidationError({"infos": [_("Write the alert in at least one language.")]})
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    errors: dict[str, list[str]] = {}
    choice_sets = {
        "category": Category,
        "urgency": Urgency,
        "severity": Severity,
        "certainty": Certainty,
    }
    for raw in infos:
        language = str(raw.get("language", ""))
        if language not in LANGUAGE_CODES or language in seen:
            errors.setdefault("language", []).append(_("Choose Kazakh, Russian or English once."))
            continue
        seen.add(language)
        info = {key: _clean(raw.get(key, "")) for key in INFO_FIELDS}
        info["language"] = language
        info["category"] = info["category"] or Category.MET
        prefix = language[:2]
        for key, choices in choice_sets.items():
            if info[key] not in choices.values():
                errors.setdefault(f"{prefix}.{key}", []).append(_("Choose a value from the list."))
        for key in ("event", "headline"):
            if not info[key]:
                errors.setdefault(f"{prefix}.{key}", []).append(_("This field is required."))
        for key, limit in TEXT_LIMITS.items():
            if isinstance(info[key], str) and len(info[key]) > limit:
                errors.setdefault(f"{prefix}.{key}", []).append(_("This text is too long."))
        for key in ("onset", "expires"):
            if info[key] in ("", None):
                info[key] = None
            elif not isinstance(info[key], dt.datetime) or not (
                YEARS[0] <= info[key].year <= YEARS[1]
            ):
                errors.setdefault(f"{prefix}.{key}", []).append(_("Enter a date and time."))
        if info["onset"] and info["expires"] and info["expires"] <= info["onset"]:
            errors.setdefault(f"{prefix}.expires", []).append(
                _("The alert must expire after its onset.")
            )
        cleaned.append(info)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_areas(areas: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if not areas:
        raise ValidationError({"areas": [_("Choose at least one area.")]})
    return [dict(area) for area in areas]


def _write_content(
    acting_user: Any, alert: Alert, infos: list[dict[str, Any]], areas: list[dict[str, Any]]
) -> None:
    for info in infos:
        core_services.create(acting_user=acting_user, instance=AlertInfo(alert=alert, **info))
    for area in areas:
        fields = {key: area[key] for key in AREA_FIELDS if key in area}
        fields["area_desc"] = str(fields.get("area_desc", ""))[:500]
        core_services.create(acting_user=acting_user, instance=AlertArea(alert=alert, **fields))


def create_alert(
    *,
    acting_user: Any,
    region: Region,
    infos: Sequence[Mapping[str, Any]],
    areas: Sequence[Mapping[str, Any]],
    status: str = CapStatus.ACTUAL,
    msg_type: str = MsgType.ALERT,
    references: Alert | None = None,
) -> Alert:
    """A draft alert of ``region`` written by ``acting_user``: one info block per language
    (``language`` kk-KZ / ru-KZ / en-US and the CAP fields) and its areas (from
    ``region_area``, ``district_area``, ``segment_area`` or ``drawn_area``).

    Written in an exercise, or following up an exercise alert, it is an exercise alert: its
    CAP status is Exercise and it never reaches the public page or feeds, even approved."""
    if status not in CapStatus.values():
        raise ValidationError({"status": [_("Choose a value from the list.")]})
    if msg_type not in (MsgType.ALERT, MsgType.UPDATE, MsgType.CANCEL):
        raise ValidationError({"msg_type": [_("Choose a value from the list.")]})
    cleaned_infos = _check_infos(list(infos))
    cleaned_areas = _check_areas(list(areas))
    with transaction.atomic():
        alert = Alert(
            identifier=next_identifier(region),
            sender=sender(),
            status=status,
            msg_type=msg_type,
            references=references,
            references_text=references.cap_reference if references else "",
            state=State.DRAFT,
            source=Source.AUTHORED,
            author=acting_user if getattr(acting_user, "pk", None) else None,
            region=region,
            active=False,
        )
        alert.mark_exercise(
            status == CapStatus.EXERCISE or (references is not None and references.is_exercise)
        )
        if alert.is_exercise:
            alert.status = CapStatus.EXERCISE
        core_services.create(acting_user=acting_user, instance=alert, payload=alert_payload)
        _write_content(acting_user, alert, cleaned_infos, cleaned_areas)
    return alert


def edit_draft(
    *,
    acting_user: Any,
    alert: Alert,
    infos: Sequence[Mapping[str, Any]],
    areas: Sequence[Mapping[str, Any]],
) -> Alert:
    """Replace a draft's texts and areas (only a draft may change)."""
    cleaned_infos = _check_infos(list(infos))
    cleaned_areas = _check_areas(list(areas))
    core_services.require_scope(acting_user, alert, "change")
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        if locked.state != State.DRAFT:
            raise Conflict(_("Only a draft can be edited."), code="not_draft")
        for info in locked.infos.all():
            core_services.delete(acting_user=acting_user, instance=info)
        for area in locked.areas.all():
            core_services.delete(acting_user=acting_user, instance=area)
        _write_content(acting_user, locked, cleaned_infos, cleaned_areas)
    return alert


def preview_xml(alert: Alert, at: dt.datetime | None = None) -> bytes:
    """The XML the alert would be published as now."""
    return cap.build(
        alert,
        alert.infos.order_by("id"),
        alert.areas.order_by("id"),
        at or alert.sent or timezone.now(),
    )


def submit(*, acting_user: Any, alert: Alert) -> Alert:
    """Send a draft for approval; refused if its XML would not be valid CAP."""
    errors = cap.validate(preview_xml(alert))
    if errors:
        raise ValidationError({"xml": errors})
    return core_services.transition(
        acting_user=acting_user,
        instance=alert,
        states=State,
        name="submit",
        field="state",
        payload=alert_payload,
    )


def send_back(*, acting_user: Any, alert: Alert) -> Alert:
    """Return a submitted alert to its author as a draft."""
    return core_services.transition(
        acting_user=acting_user,
        instance=alert,
        states=State,
        name="send_back",
        field="state",
        payload=alert_payload,
    )


def approve(*, acting_user: Any, alert: Alert, at: dt.datetime | None = None) -> Alert:
    """Approve and publish a submitted alert: another person than its author approves it,
    its XML is built with ``sent`` = now and validated against the CAP 1.2 schema (refused
    with the schema's message), frozen in ``xml``; the alert it updates or cancels stops
    being active. A cancellation is itself published but not active (nothing is in force)."""
    if getattr(acting_user, "pk", None) is None:
        raise PermissionDenied(_("An alert is approved by a person."))
    if alert.author_id == acting_user.pk:
        raise PermissionDenied(_("The author of an alert cannot approve it; ask a colleague."))
    sent = (at or timezone.now()).replace(microsecond=0)
    xml = preview_xml(alert, sent)
    errors = cap.validate(xml)
    if errors:
        raise ValidationError({"xml": errors})
    with transaction.atomic():
        core_services.transition(
            acting_user=acting_user,
            instance=alert,
            states=State,
            name="publish",
            field="state",
            changes={
                "sent": sent,
                "approver": acting_user,
                "approved_at": sent,
                "xml": xml.decode("utf-8"),
                "active": alert.msg_type != MsgType.CANCEL,
            },
            payload=alert_payload,
        )
        if alert.references is not None:
            _retire(acting_user, alert.references, alert)
    return alert


def _retire(acting_user: Any, original: Alert, successor: Alert) -> None:
    core_services.save_changes(
        acting_user=acting_user,
        instance=original,
        changes={"active": False, "superseded_by": successor},
        payload=alert_payload,
    )


def follow_up(
    *,
    acting_user: Any,
    original: Alert,
    msg_type: str,
    infos: Sequence[Mapping[str, Any]] | None = None,
    areas: Sequence[Mapping[str, Any]] | None = None,
) -> Alert:
    """A draft update or cancellation of a published, active authored alert: a new alert
    whose ``references`` is the original, with new texts and areas or the original's."""
    if msg_type not in (MsgType.UPDATE, MsgType.CANCEL):
        raise ValidationError({"msg_type": [_("Choose update or cancel.")]})
    if original.state != State.PUBLISHED or not original.active:
        raise Conflict(
            _("Only an active published alert can be updated or cancelled."), code="inactive"
        )
    if original.source != Source.AUTHORED or original.region is None:
        raise Conflict(
            _("An alert received from a feed is updated by its sender."), code="ingested"
        )
    if infos is None:
        copied: list[Mapping[str, Any]] = [
            {key: getattr(info, key) for key in ("language", *INFO_FIELDS)}
            for info in original.infos.order_by("id")
        ]
        if msg_type == MsgType.CANCEL:
            copied = [
                {**info, "urgency": Urgency.PAST, "certainty": Certainty.OBSERVED}
                for info in copied
            ]
        infos = copied
    if areas is None:
        areas = [
            {key: getattr(area, key) for key in AREA_FIELDS}
            for area in original.areas.order_by("id")
        ]
    return create_alert(
        acting_user=acting_user,
        region=original.region,
        infos=infos,
        areas=areas,
        status=original.status,
        msg_type=msg_type,
        references=original,
    )


# Received alerts ---------------------------------------------------------------------------


def record_received(
    *,
    alert_fields: dict[str, Any],
    infos: Iterable[dict[str, Any]],
    areas: Iterable[dict[str, Any]],
    replaces: list[Alert],
) -> Alert:
    """Store an alert received from a feed, published as received, and retire the alerts it
    updates or cancels. Runs as the system (``acting_user=None``) in one transaction."""
    with transaction.atomic():
        alert = Alert(
            state=State.PUBLISHED,
            source=Source.INGESTED,
            active=alert_fields.get("msg_type") in (MsgType.ALERT, MsgType.UPDATE),
            **alert_fields,
        )
        # Another agency's exercise says so in its CAP status.
        alert.mark_exercise(alert.status == CapStatus.EXERCISE)
        core_services.create(acting_user=None, instance=alert, payload=alert_payload)
        for info in infos:
            core_services.create(acting_user=None, instance=AlertInfo(alert=alert, **info))
        for area in areas:
            core_services.create(acting_user=None, instance=AlertArea(alert=alert, **area))
        for original in replaces:
            if original.active or original.superseded_by_id is None:
                _retire(None, original, alert)
    return alert

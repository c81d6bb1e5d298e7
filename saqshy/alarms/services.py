"""Every change the home fire-alarm programme makes: alarms into incidents, call-backs and
their answers, and the records social services keep (households, installations, campaigns).

Device events arrive through the ingest handler registry (``handle_events``): each is recorded
once as an ``AlarmEvent``; an ``alarm`` from an installed device opens a fire incident at the
household through ``incidents.services.report_incident`` or, within the norm
``home_alarm_dedup_minutes`` of an open one from the same home, joins it. After the incident
is committed the household is called back in its language; an answer of "false alarm" cancels
the incident while no unit is on scene if the region's norm ``home_alarm_close_on_false_alarm``
says so.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saqshy.accounts.queries import norm
from saqshy.alarms import journal, queries
from saqshy.alarms.callback import transport_from_settings, transport_path
from saqshy.alarms.choices import AlarmEventKind, AlarmOutcome, CallBackAnswer, CallBackStatus
from saqshy.alarms.models import (
    AlarmEvent,
    CallBack,
    CampaignTarget,
    Household,
    Installation,
    InstallationCampaign,
)
from saqshy.core import audit, messages
from saqshy.core import services as core_services
from saqshy.core.exceptions import Conflict
from saqshy.core.scoping import user_scope
from saqshy.incidents import services as incident_services
from saqshy.incidents.choices import IncidentSource, IncidentStatus, JournalKind, UnitStatus
from saqshy.incidents.models import Incident, IncidentType, IncidentUnit, JournalEntry
from saqshy.ingest.handlers import Received
from saqshy.ingest.models import Device
from saqshy.ingest.services import SYSTEM_USERNAME

log = logging.getLogger("saqshy.alarms")

CALLBACK_TEXT = gettext_lazy(
    "Saqshy: the fire alarm in your home went off at %(time)s. If there is no fire, answer "
    "this message or call 101. If there is a fire, leave the home now."
)

# The device events the programme records, and which of them may open an incident.
RECORDED_KINDS = (
    AlarmEventKind.ALARM,
    AlarmEventKind.TEST,
    AlarmEventKind.RESTORED,
    AlarmEventKind.BATTERY_LOW,
    AlarmEventKind.TAMPER,
)


def alarm_incident_type() -> IncidentType:
    """The incident type an alarm opens (setting ``ALARM_INCIDENT_TYPE``, data on the type)."""
    code = getattr(settings, "ALARM_INCIDENT_TYPE", "home_fire_alarm")
    return IncidentType.objects.get(code=code)


def _actor(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "pk", None) else None


def _is_system(acting_user: Any) -> bool:
    """The system itself: None, or the ingest consumer's account (inactive, no grants), on
    whose behalf the handlers run."""
    if acting_user is None:
        return True
    return getattr(acting_user, "username", None) == SYSTEM_USERNAME and not getattr(
        acting_user, "is_active", True
    )


def _incident_actor(acting_user: Any) -> Any:
    """Who the incident services see: they take None for the system (a call the system
    recorded is the region's), so the ingest account is passed as None; our own records and
    their audit entries keep the ingest account as their author."""
    return None if _is_system(acting_user) else acting_user


def _journal_entry(
    incident: Incident, message: messages.Message, params: dict[str, Any]
) -> JournalEntry:
    return JournalEntry(
        incident=incident,
        at=timezone.now(),
        kind=JournalKind.AUTO,
        code=message.code,
        params=params,
        text=messages.english(message.code, params),
    )


def _journal(incident: Incident, message: messages.Message, params: dict[str, Any]) -> None:
    _journal_entry(incident, message, params).save()


# --- device events ----------------------------------------------------------------------------


EVENTS_PER_TRANSACTION = 100
"""Device events recorded in one transaction by :func:`handle_events` (an alarm storm is
recorded in chunks: a few queries and one audit write per chunk, not per alarm)."""


def handle_events(messages_in: Sequence[Received], *, acting_user: Any) -> None:
    """Ingest handler for alarm, test, restored, battery_low and tamper events.

    Records them in chunks of ``EVENTS_PER_TRANSACTION``, one transaction each; a chunk that
    fails raises, and the ingest path then retries its messages one by one.
    """
    listed = list(messages_in)
    for first in range(0, len(listed), EVENTS_PER_TRANSACTION):
        record_events(
            acting_user=acting_user, messages_in=listed[first : first + EVENTS_PER_TRANSACTION]
        )


def _event_kind(message: Received) -> str:
    """The kind to record: an alarm flagged ``"test": true`` is a test, never an incident."""
    if message.kind == AlarmEventKind.ALARM and message.payload.get("test") is True:
        return AlarmEventKind.TEST
    return message.kind


def record_event(*, acting_user: Any, message: Received) -> AlarmEvent | None:
    """Record one device event once (see :func:`record_events`); None when it was recorded
    before or is not a kind the programme keeps."""
    events = record_events(acting_user=acting_user, messages_in=[message])
    return events[0] if events else None


def record_events(*, acting_user: Any, messages_in: Sequence[Received]) -> list[AlarmEvent]:
    """Record device events once, in one transaction; an alarm opens or joins its household's
    incident.

    Returns the new events (a redelivered message, or a kind the programme does not keep, is
    skipped). The households concerned are locked first, in id order, so two alarms of one
    home handled at once by two consumers open one incident and two chunks never deadlock.
    """
    wanted = [(m, _event_kind(m)) for m in messages_in]
    wanted = [(m, kind) for m, kind in wanted if kind in RECORDED_KINDS]
    if not wanted:
        return []
    device_ids = sorted({m.device_id for m, _kind in wanted})
    with transaction.atomic():
        devices = Device.objects.in_bulk(device_ids)
        installations: dict[int, Installation] = {}
        for fitted in Installation.objects.filter(device_id__in=device_ids).order_by("pk"):
            installations.setdefault(fitted.device_id, fitted)
        # FOR NO KEY UPDATE: serialises alarms of one home, while rows that merely point at the
        # household (a call-back committing its deferred foreign-key check) pass.
        households = {
            h.pk: h
            for h in Household.objects.select_for_update(no_key=True)
            .filter(pk__in=sorted({i.household_id for i in installations.values()}))
            .order_by("pk")
        }
        seen = set(
            AlarmEvent.objects.filter(
                device_id__in=device_ids, message_id__in={m.message_id for m, _kind in wanted}
            ).values_list("device_id", "message_id")
        )
        joiner = _Joiner(acting_user, households.values())
        events: list[AlarmEvent] = []
        for message, kind in wanted:
            key = (message.device_id, message.message_id)
            device = devices.get(message.device_id)
            if key in seen or device is None:
                continue
            seen.add(key)
            installation = installations.get(device.pk)
            household = households.get(installation.household_id) if installation else None
            event = AlarmEvent(
                device=device,
                message_id=message.message_id,
                installation=installation,
                household=household,
                region_id=household.region_id if household else device.region_id,
                kind=kind,
                at=message.device_time,
                received_at=message.received_at,
                outcome=AlarmOutcome.PENDING
                if kind == AlarmEventKind.ALARM
                else AlarmOutcome.IGNORED,
            )
            # A device in an exercise flags its messages ``"exercise": true``.
            event.mark_exercise(message.payload.get("exercise") is True)
            if kind == AlarmEventKind.ALARM:
                if household is None:
                    log.warning("alarm from %s, which is not installed in a home", device.serial)
                    event.outcome = AlarmOutcome.IGNORED
                else:
                    joiner.open_or_join(event, household, device)
            events.append(event)
        if not events:
            return []
        AlarmEvent.objects.bulk_create(events)
        JournalEntry.objects.bulk_create(joiner.journal)
        audit.record(
            acting_user=acting_user,
            changes=[
                audit.Change("create", e, e.scope_region_id(), after=audit.snapshot(e))
                for e in events
            ],
        )
        if joiner.callbacks:
            transaction.on_commit(
                partial(place_callbacks, acting_user=acting_user, calls=joiner.callbacks),
                robust=True,
            )
    return events


class _Joiner:
    """Opens or joins the incidents of one chunk's alarms: the open alarm incidents of its
    households within each region's de-duplication window are read once, and an incident the
    chunk opens is joined by the chunk's later alarms of the same home."""

    def __init__(self, acting_user: Any, households: Any) -> None:
        self.acting_user = acting_user
        self.journal: list[JournalEntry] = []
        self.callbacks: list[tuple[int, Household]] = []
        """Households to call back once the chunk is committed, with their new incidents."""
        self._windows: dict[int, dt.timedelta] = {}
        self._incident_type: IncidentType | None = None
        homes = list(households)
        self._open: dict[int, list[AlarmEvent]] = {}
        if not homes:
            return
        longest = max(self._window(h.region_id) for h in homes)
        for prior in (
            AlarmEvent.objects.filter(
                household_id__in=[h.pk for h in homes],
                kind=AlarmEventKind.ALARM,
                incident__status__in=IncidentStatus.OPEN,
                received_at__gte=timezone.now() - longest - dt.timedelta(days=1),
            )
            .select_related("incident")
            .order_by("-received_at", "-id")
        ):
            self._open.setdefault(prior.household_id or 0, []).append(prior)

    def _window(self, region_id: int) -> dt.timedelta:
        if region_id not in self._windows:
            minutes = norm("home_alarm_dedup_minutes", region_id)
            self._windows[region_id] = dt.timedelta(minutes=minutes)
        return self._windows[region_id]

    def _type(self) -> IncidentType:
        if self._incident_type is None:
            self._incident_type = alarm_incident_type()
        return self._incident_type

    def open_or_join(self, event: AlarmEvent, household: Household, device: Device) -> None:
        since = event.received_at - self._window(household.region_id)
        prior = next(
            (
                p
                for p in self._open.get(household.pk, [])
                if p.received_at >= since
                and p.incident is not None
                and p.incident.is_exercise == event.is_exercise
            ),
            None,
        )
        if prior is not None and prior.incident is not None:
            event.incident = prior.incident
            event.outcome = AlarmOutcome.JOINED
            self.journal.append(
                _journal_entry(prior.incident, journal.JOINED, {"serial": device.serial})
            )
            return
        incident = incident_services.report_incident(
            acting_user=_incident_actor(self.acting_user),
            type=self._type(),
            lat=household.lat,
            lon=household.lon,
            address=household.address,
            source=IncidentSource.SENSOR,
            description=messages.english(journal.OPENED.code, {"serial": device.serial}),
            reported_at=event.received_at,
            is_exercise=event.is_exercise,
        )
        event.incident = incident
        event.outcome = AlarmOutcome.INCIDENT
        self._open.setdefault(household.pk, []).insert(0, event)
        self.journal.append(_journal_entry(incident, journal.OPENED, {"serial": device.serial}))
        # An exercise never calls a real household.
        if not event.is_exercise:
            self.callbacks.append((incident.pk, household))


# --- call-back --------------------------------------------------------------------------------


def place_callback(*, acting_user: Any, incident_id: int, household: Household) -> CallBack:
    """Call or text one household's contact (see :func:`place_callbacks`)."""
    return place_callbacks(acting_user=acting_user, calls=[(incident_id, household)])[0]


def place_callbacks(*, acting_user: Any, calls: Sequence[tuple[int, Household]]) -> list[CallBack]:
    """Call or text each household's contact in its language through the configured
    transport, about its incident (``(incident id, household)`` pairs).

    The messages are sent first, then the call-backs are stored with the transport's results
    in one transaction (a failed send is stored as failed). A transport that already has an
    answer (a scripted fake, a voice menu) has it recorded at once.
    """
    incidents = Incident.objects.in_bulk([incident_id for incident_id, _home in calls])
    transport = transport_from_settings()
    path = transport_path()[:100]
    sent: list[tuple[CallBack, Any]] = []
    for incident_id, household in calls:
        incident = incidents[incident_id]
        with translation.override(household.language):
            text = str(CALLBACK_TEXT) % {
                "time": timezone.localtime(incident.reported_at).strftime("%H:%M")
            }
        result = transport.send(household.contact_phone, text)
        callback = CallBack(
            incident=incident,
            household=household,
            region_id=household.region_id,
            transport=path,
            to_number=household.contact_phone,
            language=household.language,
            text=text,
            reference=result.reference[:100],
            status=CallBackStatus.SENT if result.ok else CallBackStatus.FAILED,
            sent_at=timezone.now(),
        )
        sent.append((callback, result))
    with transaction.atomic():
        CallBack.objects.bulk_create([callback for callback, _result in sent])
        audit.record(
            acting_user=acting_user,
            changes=[
                audit.Change("create", c, c.scope_region_id(), after=audit.snapshot(c))
                for c, _result in sent
            ],
        )
        JournalEntry.objects.bulk_create(
            [
                _journal_entry(
                    c.incident, journal.CALLBACK_SENT if r.ok else journal.CALLBACK_FAILED, {}
                )
                for c, r in sent
            ]
        )
    for callback, result in sent:
        if not result.ok:
            log.warning("call-back for incident %s failed: %s", callback.incident_id, result.error)
        elif result.answer:
            record_answer(
                acting_user=acting_user,
                callback=callback,
                answer=result.answer,
                text=result.answer_text,
            )
    return [callback for callback, _result in sent]


def may_answer(acting_user: Any, callback: CallBack) -> bool:
    """Who records a call-back's answer: the fire dispatch of the region while the incident
    is open, or a role granted to change call-backs there."""
    if _is_system(acting_user) or getattr(acting_user, "is_superuser", False):
        return True
    if not queries.callbacks_for(acting_user).filter(pk=callback.pk).exists():
        return False
    if user_scope(acting_user, CallBack, "change").covers(callback.region_id):
        return True
    return queries.is_fire_dispatcher_for(acting_user, callback.incident)


def _unit_on_scene(incident: Incident) -> bool:
    if incident.status == IncidentStatus.ON_SCENE:
        return True
    return IncidentUnit.objects.filter(
        incident=incident, released_at=None, unit__status=UnitStatus.ON_SCENE
    ).exists()


_OUTCOMES = {
    CallBackAnswer.FALSE_ALARM: AlarmOutcome.FALSE_ALARM,
    CallBackAnswer.FIRE_CONFIRMED: AlarmOutcome.FIRE,
}


def record_answer(*, acting_user: Any, callback: CallBack, answer: str, text: str = "") -> CallBack:
    """Store what the household said; a false alarm may cancel the incident by rule.

    The answer marks the incident's alarms as a false alarm or a confirmed fire (the
    false-alarm rates count them). With ``home_alarm_close_on_false_alarm`` = 1 in the
    incident's region, a false alarm cancels the incident while it is open and no unit is on
    scene; otherwise the dispatcher decides.
    """
    if answer not in CallBackAnswer.values():
        raise ValidationError({"answer": [_("Choose one of the listed answers.")]})
    text = (text or "").strip()
    if len(text) > 255:
        raise ValidationError({"text": [_("Keep it under 255 characters.")]})
    if not may_answer(acting_user, callback):
        raise PermissionDenied(_("You may not record the answer to this call-back."))
    with transaction.atomic():
        locked = CallBack.objects.select_for_update().get(pk=callback.pk)
        if locked.status == CallBackStatus.ANSWERED:
            raise Conflict(_("This call-back already has an answer."), code="answered")
        core_services.save_changes(
            acting_user=acting_user,
            instance=locked,
            changes={
                "status": CallBackStatus.NO_ANSWER
                if answer == CallBackAnswer.NO_ANSWER
                else CallBackStatus.ANSWERED,
                "answer": answer,
                "answer_text": text,
                "answered_at": timezone.now(),
                "answered_by": _actor(acting_user),
            },
        )
        incident = Incident.objects.get(pk=locked.incident_id)
        _journal(incident, journal.CALLBACK_ANSWER, {"answer": answer})
        outcome = _OUTCOMES.get(answer)
        if outcome is not None:
            for event in AlarmEvent.objects.filter(incident=incident, kind=AlarmEventKind.ALARM):
                core_services.save_changes(
                    acting_user=acting_user, instance=event, changes={"outcome": outcome}
                )
        if (
            answer == CallBackAnswer.FALSE_ALARM
            and norm("home_alarm_close_on_false_alarm", incident.region_id) >= 1
            and incident.is_open
            and not _unit_on_scene(incident)
        ):
            actor = _incident_actor(acting_user)
            ender = actor if incident_services.may_end(actor, incident, "cancel") else None
            incident_services.cancel(
                acting_user=ender,
                incident=incident,
                reason=_("False alarm, confirmed by the household's call-back."),
            )
    callback.refresh_from_db()
    return callback


# --- records kept by social services -----------------------------------------------------------


def _no_user_fields(fields: dict[str, Any]) -> dict[str, Any]:
    for name in ("id", "pk", "created_at", "updated_at"):
        fields.pop(name, None)
    return fields


def create_household(*, acting_user: Any, **fields: Any) -> Household:
    return core_services.create(
        acting_user=acting_user, instance=Household(**_no_user_fields(fields))
    )


def update_household(
    *,
    acting_user: Any,
    household: Household,
    expected_version: str | None = None,
    **changes: Any,
) -> Household:
    return core_services.update(
        acting_user=acting_user,
        instance=household,
        changes=_no_user_fields(changes),
        expected_version=expected_version,
    )


def delete_household(*, acting_user: Any, household: Household) -> None:
    core_services.delete(acting_user=acting_user, instance=household)


def _place_from_household(fields: dict[str, Any]) -> dict[str, Any]:
    household = fields.get("household")
    if isinstance(household, Household):
        fields["region"] = household.region
        fields["district"] = household.district
    return fields


def create_installation(*, acting_user: Any, **fields: Any) -> Installation:
    """An alarm fitted in a household; region and district follow the household."""
    fields = _place_from_household(_no_user_fields(fields))
    return core_services.create(acting_user=acting_user, instance=Installation(**fields))


def update_installation(
    *, acting_user: Any, installation: Installation, **changes: Any
) -> Installation:
    changes = _place_from_household(_no_user_fields(changes))
    return core_services.update(acting_user=acting_user, instance=installation, changes=changes)


def delete_installation(*, acting_user: Any, installation: Installation) -> None:
    core_services.delete(acting_user=acting_user, instance=installation)


def _check_targets(campaign: InstallationCampaign, targets: dict[Any, int]) -> None:
    for district, count in targets.items():
        if district.region_id != campaign.region_id:
            raise ValidationError(
                {"targets": [_("Every district must lie in the campaign's region.")]}
            )
        if count < 0:
            raise ValidationError({"targets": [_("A target cannot be negative.")]})


def create_campaign(
    *, acting_user: Any, targets: dict[Any, int] | None = None, **fields: Any
) -> InstallationCampaign:
    """A campaign with its per-district targets (``{district: count}``), in one transaction."""
    campaign = InstallationCampaign(**_no_user_fields(fields))
    with transaction.atomic():
        core_services.create(acting_user=acting_user, instance=campaign)
        if targets:
            _check_targets(campaign, targets)
            for district, count in targets.items():
                core_services.create(
                    acting_user=acting_user,
                    instance=CampaignTarget(campaign=campaign, district=district, target=count),
                )
    return campaign


def update_campaign(
    *, acting_user: Any, campaign: InstallationCampaign, **changes: Any
) -> InstallationCampaign:
    return core_services.update(
        acting_user=acting_user, instance=campaign, changes=_no_user_fields(changes)
    )


def delete_campaign(*, acting_user: Any, campaign: InstallationCampaign) -> None:
    core_services.delete(acting_user=acting_user, instance=campaign)

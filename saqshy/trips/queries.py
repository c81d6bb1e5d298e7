"""Whether an escort is free for a trip: the commitments read from the roster, in few queries.

The overlap itself is ``saqshy.algorithms.escort``; this module adapts absences, shifts and
other trips into its commitments and turns what overlaps into reasons people can read. The
buffer around a trip is the norm ``trip_escort_buffer_minutes`` (a region's override, else
the national value, else one hour), so a region changes it in the admin without a release.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from saqshy.accounts.choices import AgencyKind
from saqshy.accounts.models import Norm, Region
from saqshy.algorithms.escort import Commitment, Window, conflicts
from saqshy.duty.choices import AbsenceKind
from saqshy.duty.models import Absence, Person, Shift
from saqshy.incidents.models import Unit
from saqshy.trips.choices import ConflictKind, EscortKind, TripStatus
from saqshy.trips.models import Trip, TripEscort

BUFFER_NORM = "trip_escort_buffer_minutes"
DEFAULT_BUFFER_MINUTES = 60.0

Escort = Person | Unit


@dataclass(frozen=True)
class EscortConflict:
    """One reason an escort is not free for a trip."""

    kind: str
    reason: str
    ref: int | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": str(ConflictKind.label(self.kind)),
            "reason": self.reason,
            "ref": self.ref,
            "starts_at": self.starts_at.isoformat() if self.starts_at else None,
            "ends_at": self.ends_at.isoformat() if self.ends_at else None,
        }


@dataclass(frozen=True)
class EscortCheck:
    """An escort (or its absence) for one trip, and everything that keeps it from the trip."""

    escort: dict[str, Any] | None
    conflicts: list[EscortConflict] = field(default_factory=list)
    buffer: dt.timedelta = dt.timedelta(0)

    @property
    def assigned(self) -> bool:
        return self.escort is not None

    @property
    def free(self) -> bool:
        return self.escort is not None and not self.conflicts

    def as_dict(self) -> dict[str, Any]:
        return {
            "escort": self.escort,
            "free": self.free,
            "buffer_minutes": int(self.buffer.total_seconds() // 60),
            "conflicts": [c.as_dict() for c in self.conflicts],
        }


def escort_buffers(region_ids: Iterable[int]) -> dict[int, dt.timedelta]:
    """The buffer around a trip for each region, from the norm (one query)."""
    wanted = set(region_ids)
    values: dict[int | None, float] = dict(
        Norm.objects.filter(code=BUFFER_NORM)
        .filter(Q(region_id__in=wanted) | Q(region=None))
        .values_list("region_id", "value")
    )
    national = values.get(None, DEFAULT_BUFFER_MINUTES)
    return {
        region_id: dt.timedelta(minutes=max(0.0, values.get(region_id, national)))
        for region_id in wanted
    }


def _when(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "d.m.Y H:i")


def _span(start: dt.datetime, end: dt.datetime) -> dict[str, str]:
    return {"start": _when(start), "end": _when(end)}


def _key(escort: Escort) -> tuple[str, int]:
    return (EscortKind.PERSON if isinstance(escort, Person) else EscortKind.UNIT, escort.pk)


def _commitments(
    escorts: Sequence[Escort],
    lo: dt.datetime,
    hi: dt.datetime,
    holding: Sequence[str],
) -> dict[tuple[str, int], list[Commitment]]:
    """Every absence, shift and holding trip of these escorts that touches [lo, hi)."""
    found: dict[tuple[str, int], list[Commitment]] = {_key(e): [] for e in escorts}
    person_ids = [e.pk for e in escorts if isinstance(e, Person)]
    unit_ids = [e.pk for e in escorts if isinstance(e, Unit)]
    if person_ids:
        for absence in Absence.objects.filter(
            person_id__in=person_ids, starts_at__lt=hi, ends_at__gt=lo
        ):
            label = _("%(kind)s from %(start)s to %(end)s") % {
                "kind": AbsenceKind.label(absence.kind),
                **_span(absence.starts_at, absence.ends_at),
            }
            found[(EscortKind.PERSON, absence.person_id)].append(
                Commitment(
                    ConflictKind.ABSENCE, absence.pk, label, absence.starts_at, absence.ends_at
                )
            )
        for shift in Shift.objects.filter(
            person_id__in=person_ids, starts_at__lt=hi, ends_at__gt=lo
        ).select_related("post"):
            label = _("Rostered at the post %(post)s from %(start)s to %(end)s") % {
                "post": shift.post.name,
                **_span(shift.starts_at, shift.ends_at),
            }
            found[(EscortKind.PERSON, shift.person_id)].append(
                Commitment(ConflictKind.SHIFT, shift.pk, label, shift.starts_at, shift.ends_at)
            )
    if person_ids or unit_ids:
        others = TripEscort.objects.filter(
            Q(person_id__in=person_ids) | Q(unit_id__in=unit_ids),
            trip__status__in=holding,
            trip__departs_at__lt=hi,
            trip__returns_at__gt=lo,
        ).select_related("trip")
        for other in others:
            trip = other.trip
            label = _("Escorting the trip %(trip)s (%(status)s) from %(start)s to %(end)s") % {
                "trip": f"#{trip.pk} {trip}",
                "status": TripStatus.label(trip.status),
                **_span(trip.departs_at, trip.returns_at),
            }
            key = (
                (EscortKind.PERSON, other.person_id)
                if other.person_id
                else (
                    EscortKind.UNIT,
                    int(other.unit_id or 0),
                )
            )
            found[key].append(
                Commitment(ConflictKind.TRIP, trip.pk, label, trip.departs_at, trip.returns_at)
            )
    return found


def _standing(escort: Escort) -> list[EscortConflict]:
    """What disqualifies an escort whatever the time: not police, not in service."""
    problems = []
    if escort.agency.kind != AgencyKind.POLICE:
        problems.append(
            EscortConflict(
                ConflictKind.NOT_POLICE,
                _("%(escort)s belongs to %(agency)s, not to the police.")
                % {"escort": escort, "agency": escort.agency},
            )
        )
    if isinstance(escort, Person) and not escort.active:
        problems.append(
            EscortConflict(
                ConflictKind.INACTIVE,
                _("%(escort)s is not in active service.") % {"escort": escort},
            )
        )
    return problems


def check(
    pairs: Sequence[tuple[Trip, Escort | None]],
    *,
    holding: Sequence[str] = TripStatus.HOLDS_ESCORT,
) -> dict[int, EscortCheck]:
    """For each (trip, escort) pair, whether the escort is police and free for the whole trip.

    ``holding`` are the statuses of other trips that count against the escort: every trip
    holding it when an escort is assigned, only trips that have taken it (approved or under
    way) when a trip is approved. A fixed number of queries for any number of pairs.
    """
    checks: dict[int, EscortCheck] = {}
    live = [(t, e) for t, e in pairs if e is not None and t.departs_at and t.returns_at]
    buffers = escort_buffers({t.region_id for t, _e in pairs if t.region_id})
    commitments: dict[tuple[str, int], list[Commitment]] = {}
    if live:
        widest = max(buffers.values(), default=dt.timedelta(0))
        lo = min(t.departs_at for t, _e in live) - widest
        hi = max(t.returns_at for t, _e in live) + widest
        commitments = _commitments([e for _t, e in live if e is not None], lo, hi, holding)
    for trip, escort in pairs:
        buffer = buffers.get(trip.region_id, dt.timedelta(0))
        if escort is None:
            checks[trip.pk] = EscortCheck(None, [], buffer)
            continue
        found = _problems(trip, escort, commitments, buffer)
        checks[trip.pk] = EscortCheck(_describe(escort), found, buffer)
    return checks


def _problems(
    trip: Trip,
    escort: Escort,
    commitments: dict[tuple[str, int], list[Commitment]],
    buffer: dt.timedelta,
) -> list[EscortConflict]:
    """Why ``escort`` cannot take ``trip``: its standing, then what overlaps the trip."""
    found = _standing(escort)
    if trip.departs_at and trip.returns_at and trip.returns_at > trip.departs_at:
        window = Window(trip.departs_at, trip.returns_at)
        own = [
            c
            for c in commitments.get(_key(escort), [])
            if not (c.kind == ConflictKind.TRIP and c.ref == trip.pk)
        ]
        found.extend(
            EscortConflict(c.kind, c.label, c.ref, c.start, c.end)
            for c in conflicts(window, own, buffer)
        )
    return found


def _describe(escort: Escort) -> dict[str, Any]:
    if isinstance(escort, Person):
        name = f"{escort.position} {escort.full_name}".strip()
        return {"kind": EscortKind.PERSON, "id": escort.pk, "name": name}
    return {"kind": EscortKind.UNIT, "id": escort.pk, "name": escort.call_sign}


def escort_of(assignment: TripEscort | None) -> Escort | None:
    if assignment is None:
        return None
    return assignment.person if assignment.person_id else assignment.unit


def evaluate(trips: Iterable[Trip]) -> dict[int, EscortCheck]:
    """The current escort of each trip and its conflicts with the escort's other holdings.

    Trips need ``escort__person__agency`` and ``escort__unit__agency`` selected to stay at a
    fixed number of queries.
    """
    listed = list(trips)
    checks = check([(t, escort_of(t.assigned_escort)) for t in listed])
    for trip in listed:
        assignment = trip.assigned_escort
        current = checks[trip.pk]
        if assignment is not None and current.escort is not None:
            user = assignment.user.username if assignment.user_id and assignment.user else None
            current.escort["user"] = user
    return checks


def with_escort(queryset: Any) -> Any:
    """The related rows ``evaluate`` and the pages read, in one query."""
    return queryset.select_related(
        "region",
        "organiser_facility",
        "escort__person__agency",
        "escort__unit__agency",
        "escort__user",
    )


def escort_commitments(
    region: Region, starts_at: dt.datetime, ends_at: dt.datetime
) -> list[tuple[int, dt.datetime, dt.datetime]]:
    """(person id, departs, returns) of the region's escorts on trips that have taken them,
    overlapping the window: the duty roster leaves these windows free."""
    return list(
        TripEscort.objects.filter(
            person__region=region,
            trip__status__in=TripStatus.TAKES_ESCORT,
            trip__departs_at__lt=ends_at,
            trip__returns_at__gt=starts_at,
        ).values_list("person_id", "trip__departs_at", "trip__returns_at")
    )


def escort_persons(user: Any, trip: Trip) -> Any:
    """The police officers in service in the trip's region that ``user`` may see."""
    return (
        Person.objects.restrict(user, "view")
        .filter(agency__kind=AgencyKind.POLICE, active=True, region_id=trip.region_id)
        .select_related("agency")
        .order_by("last_name", "first_name", "id")
    )


@dataclass(frozen=True)
class Candidate:
    """An officer offered for a trip's escort, with whether they are free for all of it."""

    person: Person
    free: bool
    conflicts: list[EscortConflict]

    def as_dict(self) -> dict[str, Any]:
        person = self.person
        return {
            "id": person.pk,
            "name": person.full_name,
            "personnel_number": person.personnel_number,
            "rank": person.position,
            "agency": person.agency.display_name,
            "free": self.free,
            "conflicts": [c.reason for c in self.conflicts],
        }


def _matches(text: str) -> Q:
    """Every word is part of the first or last name, or starts the personnel number.

    SQLite folds case for ASCII only, so a Cyrillic word is also tried capitalised and in
    lower case (names are stored capitalised); PostgreSQL folds all of them.
    """
    query = Q()
    for word in text.split():
        spellings = {word, word.lower(), word.capitalize()}
        either = Q(personnel_number__istartswith=word)
        for spelling in spellings:
            either |= Q(first_name__icontains=spelling) | Q(last_name__icontains=spelling)
        query &= either
    return query


def escort_candidates(persons: Any, trip: Trip, text: str = "", limit: int = 20) -> list[Candidate]:
    """Officers among ``persons`` matching ``text``: free for the whole trip first, then the
    busy ones with their reasons; each group by last and first name.

    Free means what approval checks (``check``): no absence, shift or other trip holding the
    officer within the trip's buffered window. Which officers are busy is asked of the database
    in three queries without reading their commitments; only the officers shown are checked in
    full, with the reasons. A fixed number of queries for any number of officers matched.
    """
    matched = persons.filter(_matches(text.strip())) if text.strip() else persons
    busy = _busy_ids(matched, trip)
    rows = matched.values_list("pk", "last_name", "first_name")
    ranked = sorted(rows, key=lambda r: (r[0] in busy, r[1].casefold(), r[2].casefold(), r[0]))
    shown_ids = [pk for pk, _last, _first in ranked[:limit]]
    shown = {p.pk: p for p in persons.filter(pk__in=shown_ids)}
    checks = _check_many(trip, list(shown.values()))
    return [Candidate(shown[pk], not checks[pk], checks[pk]) for pk in shown_ids]


def _busy_ids(persons: Any, trip: Trip) -> set[int]:
    """Ids among ``persons`` with any commitment overlapping the trip's buffered window (the
    same overlap ``check`` applies, without building its reasons)."""
    buffer = escort_buffers([trip.region_id]).get(trip.region_id, dt.timedelta(0))
    lo, hi = trip.departs_at - buffer, trip.returns_at + buffer
    ids = persons.values("pk")
    busy: set[int] = set()
    busy.update(
        Absence.objects.filter(person__in=ids, starts_at__lt=hi, ends_at__gt=lo).values_list(
            "person_id", flat=True
        )
    )
    busy.update(
        Shift.objects.filter(person__in=ids, starts_at__lt=hi, ends_at__gt=lo).values_list(
            "person_id", flat=True
        )
    )
    busy.update(
        pk
        for pk in TripEscort.objects.filter(
            person__in=ids,
            trip__status__in=TripStatus.HOLDS_ESCORT,
            trip__departs_at__lt=hi,
            trip__returns_at__gt=lo,
        )
        .exclude(trip_id=trip.pk)
        .values_list("person_id", flat=True)
        if pk is not None
    )
    return busy


def _check_many(trip: Trip, persons: list[Person]) -> dict[int, list[EscortConflict]]:
    """``check`` for one trip and many officers (``check`` keys its answer by trip)."""
    buffer = escort_buffers([trip.region_id]).get(trip.region_id, dt.timedelta(0))
    lo, hi = trip.departs_at - buffer, trip.returns_at + buffer
    commitments = _commitments(persons, lo, hi, TripStatus.HOLDS_ESCORT)
    return {person.pk: _problems(trip, person, commitments, buffer) for person in persons}

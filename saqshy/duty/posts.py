"""Posts derived from the records by the norms, idempotently.

``derive_posts(region, window)`` makes the posts the records call for and nothing else:

* a 24/7 post at every strategic facility: a facility kind is strategic when the norm
  ``duty_strategic_<kind>`` (police officers per hour) is above zero;
* a 24/7 repair-crew post at every utility site: ``duty_utility_<kind>`` people of the
  region's energy agency per hour, with the kind's skill (``needs.UTILITY_SKILLS``);
* one post per mass event overlapping the window that is not rejected or cancelled, from an
  hour before it until half an hour after (norms), needing police by attendance (more for
  children's events) and fire/medical standby where the approval gates' thresholds require.

Each derived post carries a key (``derived_from``); re-deriving compares the wanted posts
with the stored ones and writes only differences, so a second run changes nothing and an
edited event updates its post. A post no longer called for is deleted, unless people are
already rostered on it: then it is kept and reported (``orphaned``) for the planner.

Hotspot posts come from the forecasts: ``hotspot_posts`` takes forecast cells and hours
(``HotspotCell``) and reconciles them the same way; the forecasts app calls it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.choices import AgencyKind
from saqshy.accounts.models import Agency, Norm, Region
from saqshy.accounts.queries import norm
from saqshy.core import audit, messages
from saqshy.core import services as core_services
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name
from saqshy.duty import names
from saqshy.duty import needs as rules
from saqshy.duty.choices import PostKind
from saqshy.duty.models import Post, PostNeed, Shift
from saqshy.facilities.models import Facility
from saqshy.gatherings.choices import GatheringStatus
from saqshy.gatherings.models import Gathering

POST_FIELDS = (
    "kind",
    "name",
    "name_code",
    "name_params",
    "district_id",
    "facility_id",
    "gathering_id",
    "lat",
    "lon",
    "starts_at",
    "ends_at",
)
NeedKey = tuple[int, str, int]  # (agency id, skill, people per hour)


@dataclass
class PostSpec:
    """A post the records call for, with what it needs."""

    key: str
    kind: str
    name: str
    lat: float
    lon: float
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    needs: list[NeedKey]
    district_id: int | None = None
    facility_id: int | None = None
    gathering_id: int | None = None
    keep_start: bool = False  # a 24/7 post keeps the start it was first made with
    # A generated name: its code and params (``duty.names``); ``name`` is then its English.
    name_code: str = ""
    name_params: dict[str, Any] = field(default_factory=dict)


def _named(message: messages.Message, params: dict[str, Any]) -> dict[str, Any]:
    """The name fields of a spec with a generated name."""
    return {
        "name": messages.english(message.code, params),
        "name_code": message.code,
        "name_params": params,
    }


@dataclass
class DeriveResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    orphaned: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


@dataclass(frozen=True)
class HotspotCell:
    """One forecast cell and hour to patrol: its centre, the hour, and officers per hour."""

    cell_id: str
    lat: float
    lon: float
    starts_at: dt.datetime
    ends_at: dt.datetime
    officers: int
    score: float = 0.0


def _agency_by_kind(region: Region) -> dict[str, Agency]:
    """The region's own agency of each kind (the first by id), else a national one."""
    found: dict[str, Agency] = {}
    for agency in Agency.objects.filter(Q(region=region) | Q(region=None)).order_by(
        "region_id", "pk"
    ):
        if agency.kind not in found or (
            found[agency.kind].region_id is None and agency.region_id is not None
        ):
            found[agency.kind] = agency
    return found


def _kind_norms(prefix: str, region: Region) -> dict[str, float]:
    """``<prefix><facility kind>`` norms in force for the region: its overrides, else national."""
    values: dict[str, float] = {}
    for code, value in Norm.objects.filter(code__startswith=prefix, region=None).values_list(
        "code", "value"
    ):
        values[code.removeprefix(prefix)] = value
    for code, value in Norm.objects.filter(code__startswith=prefix, region=region).values_list(
        "code", "value"
    ):
        values[code.removeprefix(prefix)] = value
    return {kind: value for kind, value in values.items() if value > 0}


def _facility_specs(
    region: Region, starts_at: dt.datetime, agencies: dict[str, Agency], result: DeriveResult
) -> list[PostSpec]:
    strategic = _kind_norms("duty_strategic_", region)
    utility = {
        k: v for k, v in _kind_norms("duty_utility_", region).items() if k in rules.UTILITY_SKILLS
    }
    police, energy = agencies.get(AgencyKind.POLICE), agencies.get(AgencyKind.ENERGY)
    if strategic and police is None:
        result.notes.append(_("No police agency serves the region: no strategic posts."))
    if utility and energy is None:
        result.notes.append(_("No energy agency serves the region: no utility-site posts."))
    specs = []
    facilities = Facility.objects.filter(region=region, kind__in=[*strategic, *utility])
    for facility in facilities.order_by("pk"):
        site = messages.localized_name(facility)
        if not any(site.values()):  # an unnamed site: its kind and number, translated
            site = messages.in_each_language(facility.__str__)
        common: dict[str, Any] = {
            "lat": facility.lat,
            "lon": facility.lon,
            "starts_at": starts_at,
            "ends_at": None,
            "district_id": facility.district_id,
            "facility_id": facility.pk,
            "keep_start": True,
        }
        if police is not None and facility.kind in strategic:
            specs.append(
                PostSpec(
                    key=f"facility:{facility.pk}:strategic",
                    kind=PostKind.STRATEGIC,
                    **_named(names.SITE, {"site": site}),
                    needs=[(police.pk, "", round(strategic[facility.kind]))],
                    **common,
                )
            )
        if energy is not None and facility.kind in utility:
            specs.append(
                PostSpec(
                    key=f"facility:{facility.pk}:utility",
                    kind=PostKind.UTILITY,
                    **_named(names.REPAIR_CREW, {"site": site}),
                    needs=[
                        (
                            energy.pk,
                            rules.UTILITY_SKILLS[facility.kind],
                            round(utility[facility.kind]),
                        )
                    ],
                    **common,
                )
            )
    return specs


def event_norms(region: Region) -> rules.EventNorms:
    r = region.pk
    return rules.EventNorms(
        attendees_per_officer=norm("duty_event_attendees_per_officer", r),
        children_attendees_per_officer=norm("duty_event_children_attendees_per_officer", r),
        min_officers=round(norm("duty_event_min_officers", r)),
        fire_standby_attendance=norm("fire_standby_attendance", r),
        fire_standby_people=round(norm("duty_event_fire_standby_people", r)),
        medical_presence_attendance=norm("medical_presence_attendance", r),
        medical_people=round(norm("duty_event_medical_people", r)),
    )


def _event_specs(
    region: Region,
    gatherings: Iterable[Gathering],
    agencies: dict[str, Agency],
    result: DeriveResult,
) -> list[PostSpec]:
    norms = event_norms(region)
    lead = dt.timedelta(minutes=norm("duty_event_lead_minutes", region.pk))
    after = dt.timedelta(minutes=norm("duty_event_after_minutes", region.pk))
    missing: set[str] = set()
    specs = []
    for gathering in gatherings:
        wanted = rules.event_needs(
            rules.EventFacts(
                attendance=gathering.expected_attendance,
                children=gathering.children_involved,
                fire_standby_planned=gathering.fire_standby_planned,
                medical_presence_planned=gathering.medical_presence_planned,
            ),
            norms,
        )
        needs: list[NeedKey] = []
        for need in wanted:
            agency = agencies.get(need.agency_kind)
            if agency is None:
                missing.add(need.agency_kind)
                continue
            needs.append((agency.pk, need.skill, need.people))
        specs.append(
            PostSpec(
                key=f"gathering:{gathering.pk}",
                kind=PostKind.EVENT,
                name=gathering.name,
                lat=gathering.lat,
                lon=gathering.lon,
                starts_at=gathering.starts_at - lead,
                ends_at=gathering.ends_at + after,
                needs=needs,
                district_id=gathering.venue.district_id if gathering.venue else None,
                facility_id=gathering.venue_id,
                gathering_id=gathering.pk,
            )
        )
    for kind in sorted(missing):
        result.notes.append(
            _("No %(kind)s agency serves the region: event needs of that service are left out.")
            % {"kind": AgencyKind.label(kind)}
        )
    return specs


def derive_posts(
    *, acting_user: Any, region: Region, starts_at: dt.datetime, ends_at: dt.datetime
) -> DeriveResult:
    """Make the region's posts match its records and norms for the window; idempotent."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("The end must be after the start.")]})
    core_services.require_scope(
        acting_user, Post(region=region, lat=0, lon=0, starts_at=starts_at), "add"
    )
    result = DeriveResult()
    agencies = _agency_by_kind(region)
    gatherings = (
        Gathering.objects.filter(region=region, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(status__in=[GatheringStatus.REJECTED, GatheringStatus.CANCELLED])
        .select_related("venue")
        .order_by("pk")
    )
    specs = [
        *_facility_specs(region, starts_at, agencies, result),
        *_event_specs(region, gatherings, agencies, result),
    ]
    in_play = Post.objects.filter(region=region).filter(
        Q(derived_from__startswith="facility:")
        | Q(derived_from__startswith="gathering:", starts_at__lt=ends_at, ends_at__gt=starts_at)
        | Q(derived_from__startswith="gathering:", gathering__status__in=_GONE)
    )
    _reconcile(acting_user, region, specs, in_play, result)
    return result


_GONE = [GatheringStatus.REJECTED, GatheringStatus.CANCELLED]


def hotspot_posts(
    *,
    acting_user: Any,
    region: Region,
    cells: Sequence[HotspotCell],
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> DeriveResult:
    """Make the region's hotspot posts in [starts_at, ends_at) exactly the given cell-hours.

    The seam for the forecasts: they pass the cells and hours to patrol, with officers per
    hour; posts of earlier forecasts in the window that are no longer wanted go.
    """
    core_services.require_scope(
        acting_user, Post(region=region, lat=0, lon=0, starts_at=starts_at), "add"
    )
    result = DeriveResult()
    police = _agency_by_kind(region).get(AgencyKind.POLICE)
    if police is None:
        result.notes.append(_("No police agency serves the region: no hotspot posts."))
        return result
    specs = [
        PostSpec(
            key=f"hotspot:{cell.cell_id}:{cell.starts_at.astimezone(dt.UTC):%Y%m%d%H}",
            kind=PostKind.HOTSPOT,
            **_named(names.HOTSPOT, {"cell": cell.cell_id}),
            lat=cell.lat,
            lon=cell.lon,
            starts_at=cell.starts_at,
            ends_at=cell.ends_at,
            needs=[(police.pk, "", cell.officers)] if cell.officers > 0 else [],
        )
        for cell in cells
        if starts_at <= cell.starts_at < ends_at
    ]
    in_play = Post.objects.filter(
        region=region,
        derived_from__startswith="hotspot:",
        starts_at__gte=starts_at,
        starts_at__lt=ends_at,
    )
    _reconcile(acting_user, region, specs, in_play, result)
    return result


def _spec_values(spec: PostSpec, region: Region) -> dict[str, Any]:
    return {
        "kind": spec.kind,
        "name": spec.name[:200],
        "name_code": spec.name_code,
        "name_params": spec.name_params,
        "district_id": spec.district_id,
        "facility_id": spec.facility_id,
        "gathering_id": spec.gathering_id,
        "lat": spec.lat,
        "lon": spec.lon,
        "starts_at": spec.starts_at,
        "ends_at": spec.ends_at,
    }


def _reconcile(
    acting_user: Any,
    region: Region,
    specs: list[PostSpec],
    in_play: Any,
    result: DeriveResult,
) -> None:
    """Write only the differences between the wanted posts and the stored ones, audited."""
    wanted = {spec.key: spec for spec in specs}
    existing = {
        post.derived_from: post
        for post in Post.objects.filter(region=region, derived_from__in=list(wanted))
    }
    for post in in_play:
        existing.setdefault(post.derived_from, post)
    stored_needs: dict[int, list[PostNeed]] = {}
    for need in PostNeed.objects.filter(post__in=[p.pk for p in existing.values()]).order_by("pk"):
        stored_needs.setdefault(need.post_id, []).append(need)

    to_create: list[Post] = []
    updates: list[tuple[Post, dict[str, Any], dict[str, Any]]] = []
    need_changes: list[tuple[Post | PostSpec, list[PostNeed], list[NeedKey]]] = []
    now = timezone.now()
    for key, spec in wanted.items():
        values = _spec_values(spec, region)
        post = existing.get(key)
        if post is None:
            post = Post(region=region, derived_from=key, **values)
            post.full_clean(validate_unique=False)
            to_create.append(post)
            need_changes.append((spec, [], spec.needs))
            continue
        if spec.keep_start and (post.ends_at is None or post.ends_at > now):
            values["starts_at"] = post.starts_at
        before = audit.snapshot(post)
        for name, value in values.items():
            setattr(post, name, value)
        old, new = audit.diff(before, audit.snapshot(post))
        have = stored_needs.get(post.pk, [])
        needs_differ = sorted((n.agency_id, n.skill, n.people) for n in have) != sorted(spec.needs)
        if new:
            post.updated_at = now
            post.full_clean(validate_unique=False)
            updates.append((post, old, new))
        if needs_differ:
            need_changes.append((post, have, spec.needs))
        if not new and not needs_differ:
            result.unchanged += 1
        elif not new:
            result.updated += 1
    gone = [post for key, post in existing.items() if key not in wanted]
    rostered = set(
        Shift.objects.filter(post__in=[p.pk for p in gone]).values_list("post_id", flat=True)
    )
    to_delete = [p for p in gone if p.pk not in rostered]
    result.orphaned = sorted(rostered)
    if not (to_create or updates or need_changes or to_delete):
        return
    changes: list[audit.Change] = []
    with transaction.atomic():
        created = Post.objects.bulk_create(to_create, batch_size=500)
        if any(p.pk is None for p in created):
            by_key = {
                p.derived_from: p
                for p in Post.objects.filter(
                    region=region, derived_from__in=[p.derived_from for p in created]
                )
            }
            created = [by_key[p.derived_from] for p in created]
        created_by_key = {p.derived_from: p for p in created}
        changes += [audit.Change("create", p, region.pk, after=audit.snapshot(p)) for p in created]
        if updates:
            Post.objects.bulk_update(
                [p for p, _o, _n in updates], [*POST_FIELDS, "updated_at"], batch_size=500
            )
            changes += [
                audit.Change("update", p, region.pk, before=o, after=n) for p, o, n in updates
            ]
        new_needs: list[PostNeed] = []
        old_needs: list[PostNeed] = []
        for owner, have, want in need_changes:
            post = owner if isinstance(owner, Post) else created_by_key[owner.key]
            old_needs += have
            new_needs += [
                PostNeed(post=post, agency_id=agency_id, skill=skill, people=people)
                for agency_id, skill, people in want
            ]
        changes += [
            audit.Change("delete", n, region.pk, before=audit.snapshot(n)) for n in old_needs
        ]
        PostNeed.objects.filter(pk__in=[n.pk for n in old_needs]).delete()
        made = PostNeed.objects.bulk_create(new_needs, batch_size=500)
        if any(n.pk is None for n in made):
            made = list(PostNeed.objects.filter(post__in={n.post_id for n in made}))
        changes += [audit.Change("create", n, region.pk, after=audit.snapshot(n)) for n in made]
        for post in to_delete:
            changes.append(audit.Change("delete", post, region.pk, before=audit.snapshot(post)))
        Post.objects.filter(pk__in=[p.pk for p in to_delete]).delete()
        audit.record(acting_user=acting_user, changes=changes)
        publish_on_commit(
            topic="post",
            op="reloaded",
            object_id=0,
            region_id=region.pk,
            perm=perm_name(Post, "view"),
        )
    result.created += len(created)
    result.updated += len(updates)
    result.removed += len(to_delete)

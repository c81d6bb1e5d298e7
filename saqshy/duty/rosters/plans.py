"""Plan runs: request a roster (or staffing, or re-planning) run, track it, record its result.

A run is requested by a service (audited, pushed live on the topic ``planrun``) that queues
the background task ``duty.rosters.tasks.run_plan`` once the request is committed. The task
reports progress on the run (pushed live too) and writes the roster through ``write_shifts``, in
one transaction per run, audited shift by shift.

The task module sits above this one (it calls ``progress``, ``finish`` and ``fail``), so this
module never imports it: the duty app's ``AppConfig.ready`` hands the task down through
``register_runner``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.models import District, Region
from saqshy.algorithms import optimise as opt
from saqshy.core import audit, messages
from saqshy.core import services as core_services
from saqshy.core.exceptions import Conflict
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name
from saqshy.duty import wording
from saqshy.duty.choices import AbsenceKind, PlanKind, PlanStatus
from saqshy.duty.models import Absence, Person, PlanRun, Shift
from saqshy.duty.rosters.planning import (
    SHIFT_COLUMNS,
    Horizon,
    RegionInput,
    floor_hour,
    shift_fingerprint,
    shift_rows,
)
from saqshy.duty.services import add_absence

logger = logging.getLogger(__name__)

MAX_WINDOW = dt.timedelta(days=14)
DEFAULT_TIME_LIMIT_S = 10.0
REPLAN_DEFAULT_WINDOW = dt.timedelta(hours=72)
CHANGES_SHOWN = 300


def run_payload(run: PlanRun) -> dict[str, Any]:
    return {
        "kind": run.kind,
        "status": run.status,
        "status_label": str(PlanStatus.label(run.status)),
        "progress": run.progress,
        "message": run.display_message,
        "message_code": run.message_code,
        "message_params": run.message_params,
        "coverage": run.coverage,
        "gap": run.gap,
    }


def _push(run: PlanRun) -> None:
    publish_on_commit(
        topic="planrun",
        op="updated",
        object_id=run.pk,
        region_id=run.region_id,
        perm=perm_name(PlanRun, "view"),
        data=run_payload(run),
    )


def request_run(
    *,
    acting_user: Any,
    region: Region,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    kind: str = PlanKind.ROSTER,
    district: District | None = None,
    time_limit_s: float | None = None,
    params: dict[str, Any] | None = None,
    queue: bool = True,
) -> PlanRun:
    """Queue a plan run for a region (one district, or all) over a window; audited.

    The task starts once the request is committed (with ``SAQSHY_TASKS_BACKEND=immediate``
    it runs right then, inline). ``queue=False`` only records the run, for a caller that
    runs it itself (``duty.rosters.tasks.execute``; the demo loader does)."""
    if kind not in PlanKind.values():
        raise ValidationError({"kind": [_("Unknown kind of plan run.")]})
    if ends_at - starts_at > MAX_WINDOW:
        raise ValidationError({"ends_at": [_("Plan at most 14 days at a time.")]})
    limit = DEFAULT_TIME_LIMIT_S if time_limit_s is None else float(time_limit_s)
    if not 0.5 <= limit <= 300:
        raise ValidationError({"time_limit_s": [_("Give the solver 0.5 to 300 seconds.")]})
    run = PlanRun(
        kind=kind,
        region=region,
        district=district,
        starts_at=floor_hour(starts_at),
        ends_at=ends_at,
        time_limit_s=limit,
        params=params or {},
        requested_by=acting_user if getattr(acting_user, "pk", None) else None,
        message=wording.RUN_QUEUED.text(),
        message_code=wording.RUN_QUEUED.code,
    )
    with transaction.atomic():
        run = core_services.create(acting_user=acting_user, instance=run, payload=run_payload)
        run_id = run.pk
        if queue:
            transaction.on_commit(lambda: enqueue(run_id))
    return run


Runner = Callable[[int], Any]
"""Queues the computation of a plan run by its id; returns the queue's result (with an ``id``)."""

_runner: Runner | None = None


def register_runner(runner: Runner) -> None:
    """Say how runs are queued (``run_plan.enqueue`` of the task module; see the docstring)."""
    global _runner
    _runner = runner


def enqueue(run_id: int) -> None:
    """Hand a run to the task queue and note the task's id."""
    try:
        if _runner is None:
            raise ImproperlyConfigured("no plan run runner is registered")
        result = _runner(run_id)
    except Exception as error:  # the queue is down: say so on the run instead of losing it
        logger.exception("could not queue plan run %s", run_id)
        fail(run_id, wording.RUN_NOT_QUEUED.text(error=str(error)))
        return
    PlanRun.objects.filter(pk=run_id, task_id="").update(task_id=str(result.id)[:64])


def latest_roster_window(region: Region, when: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The window of the newest finished roster run of the region that covers ``when``, or
    ``REPLAN_DEFAULT_WINDOW`` from the hour of ``when``."""
    run = (
        PlanRun.objects.filter(
            region=region,
            kind__in=(PlanKind.ROSTER, PlanKind.REPLAN),
            status=PlanStatus.DONE,
            starts_at__lte=when,
            ends_at__gt=when,
        )
        .order_by("-finished_at", "-pk")
        .first()
    )
    if run is not None:
        return run.starts_at, run.ends_at
    start = floor_hour(when)
    return start, start + REPLAN_DEFAULT_WINDOW


def replan_after_sickness(
    *,
    acting_user: Any,
    person: Person,
    sick_from: dt.datetime,
    until: dt.datetime | None = None,
    note: str = "",
    time_limit_s: float | None = None,
) -> PlanRun:
    """Record that ``person`` is sick from ``sick_from`` and queue a re-plan of their
    district that keeps everything begun before then and changes as few shifts as it can.
    Both in one transaction: no sickness without its re-plan."""
    starts_at, ends_at = latest_roster_window(person.region, sick_from)
    with transaction.atomic():
        absence = add_absence(
            acting_user=acting_user,
            person=person,
            kind=AbsenceKind.SICK,
            starts_at=sick_from,
            ends_at=until or max(ends_at, sick_from + dt.timedelta(hours=1)),
            note=note,
        )
        return request_run(
            acting_user=acting_user,
            region=person.region,
            starts_at=starts_at,
            ends_at=ends_at,
            kind=PlanKind.REPLAN,
            district=person.district,
            time_limit_s=time_limit_s,
            params={"person": person.pk, "absence": absence.pk, "at": sick_from.isoformat()},
        )


def replan_after_change(
    *, acting_user: Any, region: Region, at: dt.datetime, time_limit_s: float | None = None
) -> PlanRun:
    """Queue a re-plan of the whole region from ``at`` after its posts changed (an event
    added): what began before ``at`` stays, later shifts change only where they must."""
    starts_at, ends_at = latest_roster_window(region, at)
    return request_run(
        acting_user=acting_user,
        region=region,
        starts_at=starts_at,
        ends_at=ends_at,
        kind=PlanKind.REPLAN,
        time_limit_s=time_limit_s,
        params={"at": at.isoformat()},
    )


def progress(run: PlanRun, percent: int, message: str, **fields: Any) -> None:
    """Note progress on a running run (its own small commit) and push it live."""
    run.progress = max(0, min(100, percent))
    run.message = message[:500]
    run.message_code, run.message_params = messages.coded(message)
    for name, value in fields.items():
        setattr(run, name, value)
    with transaction.atomic():
        PlanRun.objects.filter(pk=run.pk).update(
            progress=run.progress,
            message=run.message,
            message_code=run.message_code,
            message_params=run.message_params,
            updated_at=timezone.now(),
            **fields,
        )
        _push(run)


def fail(run_id: int, message: str) -> None:
    with transaction.atomic():
        run = PlanRun.objects.select_for_update().get(pk=run_id)
        before = {"status": run.status}
        run.status = PlanStatus.FAILED
        run.message = message[:500]
        run.message_code, run.message_params = messages.coded(message)
        run.finished_at = timezone.now()
        run.save(
            update_fields=[
                "status",
                "message",
                "message_code",
                "message_params",
                "finished_at",
                "updated_at",
            ]
        )
        audit.record(
            acting_user=run.requested_by,
            changes=[
                audit.Change(
                    "update",
                    run,
                    run.region_id,
                    before=before,
                    after={"status": run.status, "message": run.message},
                )
            ],
        )
        _push(run)


RESULT_FIELDS = (
    "status",
    "progress",
    "message",
    "message_code",
    "message_params",
    "solver_status",
    "objective",
    "best_bound",
    "gap",
    "wall_time_s",
    "coverage",
    "needed_hours",
    "staffed_hours",
    "shift_count",
    "gaps",
    "gap_spans",
    "changes",
    "summary",
    "finished_at",
)
AUDITED_RESULT = (
    "status",
    "solver_status",
    "objective",
    "best_bound",
    "gap",
    "wall_time_s",
    "coverage",
    "needed_hours",
    "staffed_hours",
    "shift_count",
    "gap_spans",
)


def finish(run: PlanRun) -> None:
    """Store the result of a run (its fields set by the task) and push it; audited."""
    with transaction.atomic():
        run.status = PlanStatus.DONE
        run.progress = 100
        run.message_code, run.message_params = messages.coded(run.message)
        run.finished_at = timezone.now()
        run.save(update_fields=[*RESULT_FIELDS, "updated_at"])
        audit.record(
            acting_user=run.requested_by,
            changes=[
                audit.Change(
                    "update",
                    run,
                    run.region_id,
                    before={"status": PlanStatus.RUNNING},
                    after={name: getattr(run, name) for name in AUDITED_RESULT},
                )
            ],
        )
        _push(run)


ShiftKey = tuple[str, str | None, int, int, str]


def _key(shift: opt.Shift) -> ShiftKey:
    return (shift.person, shift.post, shift.start, shift.end, shift.skill)


def write_shifts(
    run: PlanRun,
    data: RegionInput,
    rosters: Sequence[tuple[str, Sequence[opt.Shift]]],
) -> dict[str, Any]:
    """Replace the planner's shifts of each rostered district in the window by ``rosters``
    (district key, shifts to store), touching only those that differ; hand-made shifts are
    never touched. One transaction, every created and deleted shift audited, one live
    message. Returns the changes (counts, and the first rows for the page).

    The diff was computed against the shifts read when the run started; if any of them has
    been added, changed or removed since (a hand edit, another run), nothing is written and
    ``Conflict`` is raised: the run must be repeated on the current roster. The shift rows
    are locked while they are compared and rewritten."""
    horizon: Horizon = data.horizon
    districts = {district for district, _shifts in rosters}
    old: dict[ShiftKey, list[int]] = {}
    for key, pks in data.planned_rows.items():
        if data.district_of.get(key[0]) in districts:
            old[key] = list(pks)
    new = Counter(_key(shift) for _district, shifts in rosters for shift in shifts)
    total = sum(new.values())
    delete_ids: list[int] = []
    for key, pks in old.items():
        keep = min(len(pks), new.get(key, 0))
        delete_ids.extend(pks[keep:])
        new[key] -= keep
    to_create = [
        Shift(
            person_id=int(person),
            post_id=int(post or 0),
            starts_at=horizon.at(start),
            ends_at=horizon.at(end),
            skill=skill,
            plan_run=run,
        )
        for (person, post, start, end, skill), count in sorted(new.items(), key=_order)
        for _n in range(max(0, count))
    ]
    with transaction.atomic():
        if data.shifts_read:
            current = (
                shift_rows(data.region, horizon)
                .select_for_update(of=("self",))
                .values_list(*SHIFT_COLUMNS)
            )
            if shift_fingerprint(current) != data.shifts_read:
                raise Conflict(
                    _(
                        "The roster was changed while this plan was being computed (shifts "
                        "were added, edited or removed); nothing was written. Run the plan "
                        "again on the current roster."
                    ),
                    code="roster_changed",
                )
        doomed = list(Shift.objects.filter(pk__in=delete_ids).select_related("person", "post"))
        removed = [_change_row(shift) for shift in doomed]
        changes = [
            audit.Change("delete", shift, data.region.pk, before=audit.snapshot(shift))
            for shift in doomed
        ]
        Shift.objects.filter(pk__in=delete_ids).delete()
        created = Shift.objects.bulk_create(to_create, batch_size=500)
        if any(shift.pk is None for shift in created):  # a database without RETURNING
            created = list(Shift.objects.filter(plan_run=run, created_at__gte=run.created_at))
        changes.extend(
            audit.Change("create", shift, data.region.pk, after=audit.snapshot(shift))
            for shift in created
        )
        if changes:
            audit.record(acting_user=run.requested_by, changes=changes)
            publish_on_commit(
                topic="shift",
                op="reloaded",
                object_id=run.pk,
                region_id=data.region.pk,
                perm=perm_name(Shift, "view"),
                data={"plan_run": run.pk},
            )
    names = dict(
        Person.objects.filter(pk__in=[s.person_id for s in created]).values_list("pk", "last_name")
    )
    added = [
        {
            "person": shift.person_id,
            "name": names.get(shift.person_id, ""),
            "post": shift.post_id,
            "post_name": data.posts[str(shift.post_id)].name
            if str(shift.post_id) in data.posts
            else "",
            "starts_at": shift.starts_at.isoformat(),
            "ends_at": shift.ends_at.isoformat(),
        }
        for shift in created[:CHANGES_SHOWN]
    ]
    return {
        "added": len(created),
        "removed": len(doomed),
        "kept": total - len(created),
        "added_rows": added,
        "removed_rows": removed[:CHANGES_SHOWN],
    }


def _order(item: tuple[ShiftKey, int]) -> tuple[int, int, str]:
    (person, _post, start, _end, _skill), _count = item
    return (start, int(person), str(_post))


def _change_row(shift: Shift) -> dict[str, Any]:
    return {
        "person": shift.person_id,
        "name": shift.person.last_name,
        "post": shift.post_id,
        "post_name": shift.post.name,
        "starts_at": shift.starts_at.isoformat(),
        "ends_at": shift.ends_at.isoformat(),
    }


def absence_of(run: PlanRun) -> Absence | None:
    absence_id = run.params.get("absence")
    return Absence.objects.filter(pk=absence_id).first() if absence_id else None

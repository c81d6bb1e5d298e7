"""Building blocks for domain services: check scope, save, audit, push on commit.

Domain services (``<app>/services.py``) open the transaction, apply their own rules and call
these to persist a change, so every write path records the same audit entry and sends the
same live message.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.db.models import Model, ProtectedError, QuerySet, RestrictedError
from django.db.models.deletion import Collector
from django.utils.translation import gettext_lazy

from saqshy.core import audit, versioning
from saqshy.core.choices import ChoiceSet
from saqshy.core.exceptions import Conflict
from saqshy.core.models import BaseModel, ExerciseModel
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name, user_scope
from saqshy.core.validation import validate

M = TypeVar("M", bound=BaseModel)
Payload = Callable[[Any], dict[str, Any]]


def require_scope(acting_user: Any, instance: BaseModel, action: str) -> None:
    """Refuse unless ``acting_user`` may ``action`` this record where it lives.

    ``acting_user=None`` is the system itself (management commands, the simulator).
    """
    if acting_user is None or getattr(acting_user, "is_superuser", False):
        return
    scope = user_scope(acting_user, type(instance), action)
    if not scope.covers(instance.scope_region_id(), instance.scope_agency_id()):
        raise PermissionDenied(
            _REFUSALS.get(action, _REFUSALS["change"]) % {"what": type(instance)._meta.verbose_name}
        )


_REFUSALS = {
    "add": gettext_lazy("You may not add a %(what)s in this region."),
    "change": gettext_lazy("You may not change a %(what)s in this region."),
    "delete": gettext_lazy("You may not delete a %(what)s in this region."),
}


def _publish(instance: BaseModel, op: str, payload: Payload | None) -> None:
    publish_on_commit(
        topic=type(instance)._meta.model_name or "",
        op=op,
        object_id=instance.pk,
        region_id=instance.scope_region_id(),
        agency_id=instance.scope_agency_id(),
        perm=perm_name(type(instance), "view"),
        data=payload(instance) if payload else {},
    )


def create(*, acting_user: Any, instance: M, payload: Payload | None = None) -> M:
    """Validate, save and audit a new record; push it live on commit (a record that may be an
    exercise record is one when created in an exercise)."""
    if isinstance(instance, ExerciseModel):
        instance.mark_exercise()
    require_scope(acting_user, instance, "add")
    validate(instance)
    with transaction.atomic():
        instance.save()
        audit.record(
            acting_user=acting_user,
            changes=[
                audit.Change(
                    "create", instance, instance.scope_region_id(), after=audit.snapshot(instance)
                )
            ],
        )
        _publish(instance, "created", payload)
    return instance


def _field_names(instance: BaseModel, attnames: Iterable[str]) -> list[str]:
    by_attname = {field.attname: field.name for field in instance._meta.concrete_fields}
    return [by_attname[name] for name in attnames if name in by_attname]


def _save_changed(acting_user: Any, locked: M, before: dict[str, Any]) -> dict[str, Any]:
    """Save only the fields of ``locked`` that differ from ``before`` and audit exactly them;
    returns what changed (empty: nothing written)."""
    old, new = audit.diff(before, audit.snapshot(locked))
    if not new:
        return new
    fields = _field_names(locked, new)
    if any(field.name == "updated_at" for field in locked._meta.concrete_fields):
        fields.append("updated_at")
    locked.save(update_fields=fields)
    audit.record(
        acting_user=acting_user,
        changes=[audit.Change("update", locked, locked.scope_region_id(), before=old, after=new)],
    )
    return new


def update(
    *,
    acting_user: Any,
    instance: M,
    changes: dict[str, Any],
    payload: Payload | None = None,
    expected_version: str | list[str] | None = None,
    check: Callable[[M], None] | None = None,
) -> M:
    """Apply ``changes`` to the stored record, validate, save and audit only what changed.

    Inside one transaction the row is locked and re-read, so the caller's copy may be stale
    without harm: only the fields in ``changes`` are written (``update_fields``), a concurrent
    writer's other fields survive, and the audit entry records exactly what this call changed.
    ``expected_version`` (from ``If-Match`` or a form) refuses with 412 when the stored record
    is no longer at that version; ``check`` runs the app's own rules on the locked copy.
    Both the old and the new place must lie in the user's scope: nobody moves a record into
    or out of a region they cannot change. ``instance`` is refreshed to the stored state.
    """
    require_scope(acting_user, instance, "change")
    with transaction.atomic():
        locked = versioning.guard(instance, expected_version)
        require_scope(acting_user, locked, "change")
        before = audit.snapshot(locked)
        for field, value in changes.items():
            setattr(locked, field, value)
        require_scope(acting_user, locked, "change")
        if check is not None:
            check(locked)
        validate(locked, before, touched=changes)
        if _save_changed(acting_user, locked, before):
            _publish(locked, "updated", payload)
    versioning.copy_state(instance, locked)
    return instance


def save_changes(
    *,
    acting_user: Any,
    instance: M,
    changes: dict[str, Any],
    payload: Payload | None = None,
    locked: bool = False,
) -> dict[str, Any]:
    """Write ``changes`` that the caller's own service has decided (rules and scope checked):
    lock and re-read the row, save only the fields that differ, audit exactly them and push
    on commit. Must run inside the caller's transaction; ``instance`` gets the stored state.
    ``locked``: ``instance`` is the row the caller locked and read in this transaction, so
    it is not read again. Returns what changed."""
    if locked:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("save_changes(locked=True) must run inside transaction.atomic()")
        before = audit.snapshot(instance)
        for field, value in changes.items():
            setattr(instance, field, value)
        changed = _save_changed(acting_user, instance, before)
        _publish(instance, "updated", payload)
        return changed
    locked_copy = versioning.lock(instance)
    changed = save_changes(
        acting_user=acting_user, instance=locked_copy, changes=changes, payload=payload,
        locked=True,
    )  # fmt: skip
    versioning.copy_state(instance, locked_copy)
    return changed


def transition(
    *,
    acting_user: Any,
    instance: M,
    states: type[ChoiceSet],
    name: str | None = None,
    to: str | None = None,
    field: str = "status",
    changes: dict[str, Any] | None = None,
    check: Callable[[M], None] | None = None,
    expected_version: str | list[str] | None = None,
    scope_action: str | None = "change",
    payload: Payload | None = None,
) -> M:
    """Move ``instance`` along the state machine declared on ``states.TRANSITIONS``.

    Name the transition (``name="cancel"``) or its target (``to="closed"``). The row is
    locked and re-read, and the source state is checked on the locked row, so of concurrent
    requests for one transition exactly one succeeds and the others get ``Conflict`` (409)
    and write nothing. ``check`` runs the caller's own gate on the locked row (approval
    gates, units on an incident, role checks) and refuses by raising. ``changes`` are the
    fields the transition also sets (a reason, who approved); only the status and those are
    written (``update_fields``), audited and pushed. ``scope_action`` is the scope the user
    needs in the record's region (``None`` when the caller checked it already).
    """
    if (name is None) == (to is None):
        raise ValueError("transition() needs exactly one of name= and to=")
    if scope_action is not None:
        require_scope(acting_user, instance, scope_action)
    with transaction.atomic():
        locked = versioning.guard(instance, expected_version)
        current = getattr(locked, field)
        if name is None:
            name = states.transition_to(current, str(to))
        if name is None or current not in states.TRANSITIONS[name][0]:
            target = to if to is not None else states.TRANSITIONS[str(name)][1]
            raise Conflict(
                _TRANSITION_REFUSED
                % {
                    "what": locked._meta.verbose_name,
                    "status": states.label(current),
                    "target": states.label(str(target)),
                },
                code="invalid_transition",
                status=current,
                allowed=list(states.targets(current)),
            )
        if check is not None:
            check(locked)
        before = audit.snapshot(locked)
        setattr(locked, field, states.TRANSITIONS[name][1])
        for key, value in (changes or {}).items():
            setattr(locked, key, value)
        _save_changed(acting_user, locked, before)
        _publish(locked, "updated", payload)
    versioning.copy_state(instance, locked)
    return instance


_TRANSITION_REFUSED = gettext_lazy("This %(what)s is %(status)s; it cannot become %(target)s.")


def set_related(
    *, acting_user: Any, instance: BaseModel, field: str, values: Iterable[Any]
) -> bool:
    """Set a many-to-many field and audit the change (ids before and after) with the record.

    Returns whether anything changed.
    """
    require_scope(acting_user, instance, "change")
    manager = getattr(instance, field)
    with transaction.atomic():
        versioning.lock(instance)
        before = sorted(manager.values_list("pk", flat=True))
        manager.set(list(values))
        after = sorted(manager.values_list("pk", flat=True))
        if before == after:
            return False
        audit.record(
            acting_user=acting_user,
            changes=[
                audit.Change(
                    "update",
                    instance,
                    instance.scope_region_id(),
                    before={field: before},
                    after={field: after},
                )
            ],
        )
    return True


def _protectors(error: ProtectedError | RestrictedError) -> list[Model]:
    objects = (
        error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
    )
    return list(objects)


_HELD_BY = gettext_lazy(
    "This %(what)s cannot be deleted: %(count)s other records still refer to it "
    "(for example %(examples)s). Remove or change those first."
)


def delete(
    *,
    acting_user: Any,
    instance: BaseModel,
    expected_version: str | list[str] | None = None,
    audit_cascade: bool = True,
) -> None:
    """Delete and audit a record and every row the delete cascades to; push it on commit.

    The row is locked and re-read first (``expected_version`` as in ``update``). A record that
    others protect is refused with 409 naming what holds it, and nothing is deleted. Each
    cascaded row gets its own delete entry, and the record's entry counts them per model
    (``_cascaded``); ``audit_cascade=False`` keeps only the counts, for derived rows such as
    a forecast's cells.
    """
    require_scope(acting_user, instance, "delete")
    with transaction.atomic():
        locked = versioning.guard(instance, expected_version)
        collector = Collector(using=router.db_for_write(type(locked)), origin=locked)
        try:
            collector.collect([locked])
        except (ProtectedError, RestrictedError) as error:
            held = _protectors(error)
            examples = ", ".join(f"{obj._meta.verbose_name} {obj}" for obj in held[:_EXAMPLES])
            raise Conflict(
                str(
                    _HELD_BY
                    % {"what": locked._meta.verbose_name, "count": len(held), "examples": examples}
                ),
                code="protected",
                held_by=[
                    {"type": obj._meta.label_lower, "id": obj.pk, "name": str(obj)}
                    for obj in held[:_EXAMPLES]
                ],
                held_by_count=len(held),
            ) from None
        region_id = locked.scope_region_id()
        before = audit.snapshot(locked)
        counts = _cascade_counts(collector, locked)
        if counts:
            before["_cascaded"] = counts
        changes = [audit.Change("delete", locked, region_id, before=before)]
        if audit_cascade:
            changes.extend(
                audit.Change("delete", row, _region_of(row, region_id), before=audit.snapshot(row))
                for row in _cascaded(collector, locked)
            )
        audit.record(acting_user=acting_user, changes=changes)
        pk = locked.pk
        locked.delete()
        instance.pk = pk
        _publish(instance, "deleted", None)


_EXAMPLES = 5


def _region_of(row: Model, fallback: int | None) -> int | None:
    """A cascaded row is audited in its own region's chain when it knows one."""
    scope = getattr(row, "scope_region_id", None)
    region: int | None = scope() if callable(scope) else None
    return region if region is not None else fallback


def _cascade_counts(collector: Collector, origin: Model) -> dict[str, int]:
    """How many rows of each model the delete of ``origin`` removes besides itself."""
    counts: Counter[str] = Counter()
    for model, rows in collector.data.items():
        others = [row for row in rows if not (model is type(origin) and row.pk == origin.pk)]
        if others:
            counts[model._meta.label_lower] += len(others)
    for batch in collector.fast_deletes:
        if isinstance(batch, QuerySet):
            found, label = batch.count(), batch.model._meta.label_lower
        else:
            found, label = len(batch), type(batch[0])._meta.label_lower if batch else ""
        if found:
            counts[label] += found
    return dict(counts)


def _cascaded(collector: Collector, origin: Model) -> Iterator[Model]:
    """Every row the delete of ``origin`` removes besides itself, fast-deleted ones too."""
    for model, rows in collector.data.items():
        for row in rows:
            if not (model is type(origin) and row.pk == origin.pk):
                yield row
    for batch in collector.fast_deletes:
        yield from batch


# --- exercises --------------------------------------------------------------------------------

EXERCISE_AUDIT_TYPE = "core.exercise"


def exercise_models() -> list[type[ExerciseModel]]:
    """Every model whose records an exercise may create, in the order ``wipe_exercise``
    deletes them (dependants first)."""
    found = [m for m in apps.get_models() if issubclass(m, ExerciseModel)]
    return sorted(found, key=lambda m: (m.exercise_wipe_order, m._meta.label_lower))


def _exercise_rows(
    model: type[ExerciseModel], region_id: int | None, before: dt.datetime | None
) -> QuerySet[Any]:
    rows = model.objects.exercises()
    if region_id is not None and model.scope_region_field:
        rows = rows.filter(**{f"{model.scope_region_field}_id": region_id})
    if before is not None:
        rows = rows.filter(created_at__lt=before)
    return rows.order_by("-pk")


def wipe_exercise(
    *,
    acting_user: Any,
    region_id: int | None = None,
    before: dt.datetime | None = None,
    dry_run: bool = False,
) -> dict[str, int]:
    """Delete the exercise records (of ``region_id``, created before ``before``) and every row
    that hangs on them (journal lines, assignments, call-backs …), in one transaction.

    Returns the rows per model (``app.model``: count), cascaded ones included; a dry run
    only counts the exercise records themselves. The audit trail keeps every entry (it is a
    hash chain) and gains one entry of the wipe with the counts. An exercise incident that
    still has units on it is refused (409): close it first, so no unit is left on a call
    that no longer exists. Live maps are told of every record that went.
    """
    if acting_user is not None and not getattr(acting_user, "is_superuser", False):
        raise PermissionDenied(gettext_lazy("Only an administrator may wipe an exercise."))
    models = exercise_models()
    if dry_run:
        return {m._meta.label_lower: _exercise_rows(m, region_id, before).count() for m in models}
    counts: Counter[str] = Counter()
    with transaction.atomic():
        for model in models:
            rows = _exercise_rows(model, region_id, before)
            busy = model.exercise_busy(rows)
            if busy:
                raise Conflict(
                    str(_EXERCISE_BUSY % {"what": model._meta.verbose_name, "ids": busy}),
                    code="exercise_busy",
                )
            gone = list(rows.select_for_update())
            for row in gone:
                _publish(row, "deleted", None)
            ids = [row.pk for row in gone]
            for first in range(0, len(ids), _WIPE_BATCH):
                counts.update(_delete_rows(model, ids[first : first + _WIPE_BATCH]))
        total = {label.lower(): n for label, n in sorted(counts.items()) if n}
        audit.record_wipe(
            acting_user=acting_user,
            what=EXERCISE_AUDIT_TYPE,
            counts=total,
            filters={
                "region_id": region_id,
                "before": before.isoformat() if before is not None else None,
            },
            region_id=region_id,
        )
    return total


_WIPE_BATCH = 500


def _delete_rows(model: type[ExerciseModel], ids: list[int]) -> dict[str, int]:
    """Delete these rows and what cascades from them: at once, or, when one of them protects
    another (an exercise alert's follow-up protects its original), newest first."""
    try:
        with transaction.atomic():
            return model.objects.filter(pk__in=ids).delete()[1]
    except (ProtectedError, RestrictedError):
        counts: Counter[str] = Counter()
        for pk in sorted(ids, reverse=True):
            counts.update(model.objects.filter(pk=pk).delete()[1])
        return dict(counts)


_EXERCISE_BUSY = gettext_lazy(
    "Units are still on the exercise's %(what)s %(ids)s: close them before wiping the exercise."
)

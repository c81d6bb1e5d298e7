"""Building blocks for domain services: check scope, save, audit, push on commit.

Domain services (``<app>/services.py``) open the transaction, apply their own rules and call
these to persist a change, so every write path records the same audit entry and sends the
same live message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy

from saqshy.core import audit
from saqshy.core.models import BaseModel
from saqshy.core.realtime import publish_on_commit
from saqshy.core.scoping import perm_name, user_scope

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
    """Validate, save and audit a new record; push it live on commit."""
    require_scope(acting_user, instance, "add")
    instance.full_clean()
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


def update(
    *, acting_user: Any, instance: M, changes: dict[str, Any], payload: Payload | None = None
) -> M:
    """Apply ``changes``, validate, save and audit only what actually changed.

    Both the old and the new place must lie in the user's scope: nobody moves a record into
    or out of a region they cannot change.
    """
    require_scope(acting_user, instance, "change")
    before = audit.snapshot(instance)
    for field, value in changes.items():
        setattr(instance, field, value)
    require_scope(acting_user, instance, "change")
    instance.full_clean()
    after = audit.snapshot(instance)
    old, new = audit.diff(before, after)
    if not new:
        return instance
    with transaction.atomic():
        instance.save()
        audit.record(
            acting_user=acting_user,
            changes=[
                audit.Change("update", instance, instance.scope_region_id(), before=old, after=new)
            ],
        )
        _publish(instance, "updated", payload)
    return instance


def delete(*, acting_user: Any, instance: BaseModel) -> None:
    """Delete and audit a record; push the deletion live on commit."""
    require_scope(acting_user, instance, "delete")
    with transaction.atomic():
        before = audit.snapshot(instance)
        region_id = instance.scope_region_id()
        pk = instance.pk
        audit.record(
            acting_user=acting_user,
            changes=[audit.Change("delete", instance, region_id, before=before)],
        )
        instance.delete()
        instance.pk = pk
        _publish(instance, "deleted", None)

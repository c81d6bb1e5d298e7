"""The audit trail: append-only rows chained by a keyed hash (HMAC-SHA256).

Each entry's hash covers its own content and the previous entry's hash in the same chain, keyed
by a secret kept outside the database (``SAQSHY_AUDIT_KEY``), so editing or removing any row
breaks every hash after it and nobody without the key can recompute them
(``manage.py verify_audit``). There is one chain per region plus a national one: writers in
different regions never wait for each other, and a chain is the natural shard when the database
is distributed by region. On PostgreSQL a trigger refuses UPDATE and DELETE of entries;
``manage.py audit_head`` publishes signed chain heads that detect a rewound or deleted chain.

An entry is visible to whoever may view audit entries *and* the record it describes, in the
record's region and, for records owned by an agency, that agency (``AuditQuerySet.restrict``).

Entries keep plain ids and text, not foreign keys, so deleting a user or a record never
rewrites history.
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saqshy.core.scoping import Reach, Scope, ScopedQuerySet, user_scope, user_scopes


class AuditError(RuntimeError):
    pass


class AuditQuerySet(ScopedQuerySet["AuditEntry"]):
    def restrict(self, user: Any, action: str = "view") -> AuditQuerySet:
        """Entries ``user`` may see: audit access in the entry's region, and view access to
        the kind of record it describes there (for agency-owned records, in its agency).

        One ``WHERE`` clause: record kinds that share the same reach are grouped into one
        ``object_type IN (…)`` term, so a typical user gets two or three terms.
        """
        scope = user_scope(user, self.model, action)
        if scope.everything:
            return self
        if scope.empty:
            return self.none()
        groups: dict[frozenset[Reach], list[str]] = {}
        for model, model_scope in user_scopes(user, audited_models(), "view").items():
            reaches = intersect(scope, model_scope)
            if getattr(model, "scope_agency_field", None) is None:
                reaches = frozenset(Reach(r.region_id, None) for r in reaches)
            if reaches:
                groups.setdefault(reaches, []).append(model._meta.label_lower)
        condition = Q(pk__in=[])
        for reaches, labels in groups.items():
            condition |= Q(object_type__in=sorted(labels)) & _within(reaches)
        return self.filter(condition)

    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditError("audit entries are append-only")

    def delete(self) -> NoReturn:
        raise AuditError("audit entries are append-only")


def audited_models() -> list[type[models.Model]]:
    """Every installed model an entry may describe (the trail's own tables excluded)."""
    return [m for m in apps.get_models() if m not in (AuditEntry, AuditChainHead)]


def intersect(first: Scope, second: Scope) -> frozenset[Reach]:
    """The reaches lying in both scopes (``Reach(None, None)`` for everywhere)."""
    if first.everything and second.everything:
        return frozenset({Reach(None, None)})
    a = first.reaches if not first.everything else (Reach(None, None),)
    b = second.reaches if not second.everything else (Reach(None, None),)
    found: set[Reach] = set()
    for x in a:
        for y in b:
            region = _meet(x.region_id, y.region_id)
            agency = _meet(x.agency_id, y.agency_id)
            if region is not _NOTHING and agency is not _NOTHING:
                found.add(Reach(region, agency))  # type: ignore[arg-type]
    return frozenset(found)


_NOTHING = object()


def _meet(x: int | None, y: int | None) -> object:
    """Where a limit (None = none) meets another: the tighter one, or nothing if they differ."""
    if x is None:
        return y
    if y is None or x == y:
        return x
    return _NOTHING


def _within(reaches: frozenset[Reach]) -> Q:
    condition = Q(pk__in=[])
    for reach in reaches:
        term = Q()
        if reach.region_id is not None:
            term &= Q(region_id=reach.region_id)
        if reach.agency_id is not None:
            term &= Q(agency_id=reach.agency_id)
        if not term:
            return Q()
        condition |= term
    return condition


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")
        READ = "read", _("read")
        EXPORT = "export", _("exported")

    chain = models.CharField(_("chain"), max_length=40, db_index=True)
    seq = models.PositiveBigIntegerField(_("sequence"))
    at = models.DateTimeField(_("at"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_repr = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    region_id = models.BigIntegerField(_("region id"), null=True, blank=True, db_index=True)
    agency_id = models.BigIntegerField(_("agency id"), null=True, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=80, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    # Plain columns (no foreign keys), filtered by restrict() like the scope of other models.
    # agency_id is the owning agency of the record described (None if it has none, or for
    # entries written before it was recorded and not derivable: see migration 0002).
    scope_region_field: ClassVar[str | None] = "region"
    scope_agency_field: ClassVar[str | None] = "agency"

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditError("audit entries are append-only")


class AuditChainHead(models.Model):
    """The last entry of each chain: the row writers lock, and proof against tail deletion."""

    chain = models.CharField(max_length=40, unique=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"{self.chain}@{self.seq}"

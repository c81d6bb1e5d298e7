"""The audit trail: append-only rows chained by SHA-256.

Each entry's hash covers its own content and the previous entry's hash in the same chain, so
editing or removing any row breaks every hash after it (``manage.py verify_audit``). There is
one chain per region plus a national one: writers in different regions never wait for each
other, and a chain is the natural shard when the database is distributed by region.

Entries keep plain ids and text, not foreign keys, so deleting a user or a record never
rewrites history.
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _

from saqshy.core.scoping import ScopedQuerySet


class AuditError(RuntimeError):
    pass


class AuditQuerySet(ScopedQuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditError("audit entries are append-only")

    def delete(self) -> NoReturn:
        raise AuditError("audit entries are append-only")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")
        READ = "read", _("read")

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
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=80, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    # region_id is a plain column (no foreign key) but restrict() filters it the same way.
    scope_region_field: ClassVar[str | None] = "region"

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

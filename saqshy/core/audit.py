"""Writing and verifying the audit trail (see ``audit_models`` for the design)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from saqshy.core.audit_models import AuditChainHead, AuditEntry, AuditError
from saqshy.core.context import current_request_id

GENESIS = "0" * 64
NATIONAL_CHAIN = "national"


def chain_for(region_id: int | None) -> str:
    return NATIONAL_CHAIN if region_id is None else f"region:{region_id}"


def to_jsonable(value: Any) -> Any:
    """Plain JSON values, exactly as they will read back from a JSON column."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


SECRET_FIELDS = frozenset({"password"})


def snapshot(instance: models.Model) -> dict[str, Any]:
    """Every concrete field's stored value (foreign keys as ids).

    Secrets are replaced by a digest: a change shows in the trail, the secret does not.
    """
    data = {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname not in {"created_at", "updated_at"}
    }
    for name, value in data.items():
        if isinstance(value, datetime) and value.tzinfo is not None:
            data[name] = value.astimezone(UTC)
    for name in SECRET_FIELDS & data.keys():
        digest = hashlib.sha256(str(data[name]).encode()).hexdigest()[:12]
        data[name] = f"sha256:{digest}"
    result: dict[str, Any] = to_jsonable(data)
    return result


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def _timestamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def compute_hash(entry: AuditEntry) -> str:
    """SHA-256 over the entry's content and its predecessor's hash, in canonical JSON."""
    content = {
        "chain": entry.chain,
        "seq": entry.seq,
        "at": _timestamp(entry.at),
        "actor_id": entry.actor_id,
        "actor_repr": entry.actor_repr,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "region_id": entry.region_id,
        "before": entry.before,
        "after": entry.after,
        "request_id": entry.request_id,
        "prev_hash": entry.prev_hash,
    }
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Change:
    """One change to record: what happened to which object, and its values around it."""

    action: str
    instance: models.Model
    region_id: int | None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def record(*, acting_user: Any, changes: Iterable[Change]) -> list[AuditEntry]:
    """Append entries for ``changes``; must run inside the caller's transaction.

    Entries of one chain are written under a lock on the chain's head row, so concurrent
    writers form one unbroken sequence.
    """
    if not connection.in_atomic_block:
        raise AuditError("audit.record must be called inside transaction.atomic()")
    by_chain: dict[str, list[Change]] = {}
    for change in changes:
        by_chain.setdefault(chain_for(change.region_id), []).append(change)
    actor_id = getattr(acting_user, "pk", None)
    actor_repr = getattr(acting_user, "username", "") or ("system" if acting_user is None else "")
    request_id = current_request_id()
    now = timezone.now()
    written: list[AuditEntry] = []
    for chain in sorted(by_chain):
        AuditChainHead.objects.get_or_create(chain=chain)
        head = AuditChainHead.objects.select_for_update().get(chain=chain)
        entries = []
        for change in by_chain[chain]:
            meta = change.instance._meta
            entry = AuditEntry(
                chain=chain,
                seq=head.seq + 1,
                at=now,
                actor_id=actor_id,
                actor_repr=actor_repr[:150],
                action=change.action,
                object_type=f"{meta.app_label}.{meta.model_name}",
                object_id=str(change.instance.pk),
                object_repr=str(change.instance)[:200],
                region_id=change.region_id,
                before=to_jsonable(change.before),
                after=to_jsonable(change.after),
                request_id=request_id[:80],
                prev_hash=head.hash,
            )
            entry.hash = compute_hash(entry)
            head.seq, head.hash = entry.seq, entry.hash
            entries.append(entry)
        AuditEntry.objects.bulk_create(entries, batch_size=500)
        head.save(update_fields=["seq", "hash"])
        written.extend(entries)
    return written


@dataclass(frozen=True)
class Break:
    chain: str
    entry_id: int | None
    seq: int
    reason: str

    def __str__(self) -> str:
        where = f"entry #{self.entry_id}" if self.entry_id is not None else "an entry"
        return f"{where} (chain {self.chain}, seq {self.seq}): {self.reason}"


def _walk(chain: str) -> Iterator[AuditEntry]:
    return AuditEntry.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=2000)


def verify(chain: str | None = None) -> tuple[int, Break | None]:
    """Walk every chain (or one); return the number of entries checked and the first break."""
    heads = {h.chain: h for h in AuditChainHead.objects.all()}
    chains = sorted(
        set(heads) | set(AuditEntry.objects.order_by().values_list("chain", flat=True).distinct())
    )
    if chain is not None:
        chains = [chain]
    checked = 0
    for name in chains:
        prev_hash, expected_seq = GENESIS, 1
        for entry in _walk(name):
            checked += 1
            if entry.seq != expected_seq:
                return checked, Break(
                    name,
                    entry.pk,
                    expected_seq,
                    f"entry with seq {expected_seq} is missing (next found is seq {entry.seq})",
                )
            if entry.prev_hash != prev_hash:
                return checked, Break(
                    name,
                    entry.pk,
                    entry.seq,
                    "its previous-hash does not match the entry before it",
                )
            if compute_hash(entry) != entry.hash:
                return checked, Break(
                    name, entry.pk, entry.seq, "its content does not match its hash (edited)"
                )
            prev_hash, expected_seq = entry.hash, expected_seq + 1
        head = heads.get(name)
        last_seq = expected_seq - 1
        if head is None or head.seq != last_seq or head.hash != prev_hash:
            head_seq = head.seq if head else 0
            return checked, Break(
                name,
                None,
                head_seq,
                f"the chain ends at seq {last_seq} but its head records seq {head_seq}: "
                "entries were removed",
            )
    return checked, None

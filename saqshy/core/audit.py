"""Writing and verifying the audit trail (see ``audit_models`` for the design).

Hashes are HMAC-SHA256 under ``audit_key()``, a key kept outside the database, so someone who
can rewrite the table but lacks the key cannot recompute a consistent chain after an edit.
Signed published heads (``publish_heads`` / ``check_published``) catch what a chain alone
cannot: a tail cut off with the head rewound, or a whole chain deleted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from saqshy.core.audit_models import AuditChainHead, AuditEntry, AuditError
from saqshy.core.context import current_request_id

GENESIS = "0" * 64
NATIONAL_CHAIN = "national"
HEAD_FORMAT = "saqshy-audit-head/1"


def chain_for(region_id: int | None) -> str:
    return NATIONAL_CHAIN if region_id is None else f"region:{region_id}"


def audit_key() -> bytes:
    """The key of the chain's HMAC: ``SAQSHY_AUDIT_KEY``, else one derived from SECRET_KEY.

    The derived key keeps a laptop demo working; in production set ``SAQSHY_AUDIT_KEY`` and
    keep it away from the database's administrators, or they can recompute the chain.
    """
    configured: str = getattr(settings, "SAQSHY_AUDIT_KEY", "")
    if configured:
        return configured.encode("utf-8")
    return hmac.new(
        settings.SECRET_KEY.encode("utf-8"), b"saqshy.audit.chain", hashlib.sha256
    ).digest()


def check_audit_key(**kwargs: Any) -> list[checks.CheckMessage]:
    """``manage.py check --deploy``: warn when the audit key is only derived from SECRET_KEY."""
    if getattr(settings, "SAQSHY_AUDIT_KEY", ""):
        return []
    return [
        checks.Warning(
            "SAQSHY_AUDIT_KEY is not set: the audit chain is keyed by a key derived from "
            "SECRET_KEY, so whoever holds SECRET_KEY can recompute it.",
            hint="Set SAQSHY_AUDIT_KEY to a long random secret kept away from the database.",
            id="saqshy.W001",
        )
    ]


def _mac(content: dict[str, Any], key: bytes | None = None) -> str:
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key or audit_key(), encoded.encode("utf-8"), hashlib.sha256).hexdigest()


def to_jsonable(value: Any) -> Any:
    """Plain JSON values, exactly as they will read back from a JSON column."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


SECRET_FIELDS = frozenset({"password", "hmac_key"})


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
        elif isinstance(value, FieldFile):
            data[name] = value.name or ""
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


def compute_hash(entry: AuditEntry, key: bytes | None = None) -> str:
    """HMAC-SHA256 over the entry's content and its predecessor's hash, in canonical JSON."""
    return _mac(
        {
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
            "agency_id": entry.agency_id,
            "before": entry.before,
            "after": entry.after,
            "request_id": entry.request_id,
            "prev_hash": entry.prev_hash,
        },
        key,
    )


@dataclass(frozen=True)
class Change:
    """One change to record: what happened to which object, and its values around it.

    The owning agency is derived from ``instance.scope_agency_id()`` (``agency_id`` overrides).
    """

    action: str
    instance: models.Model
    region_id: int | None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    agency_id: int | None = None


def _resolve(instances: Sequence[models.Model], path: str | None) -> list[int | None]:
    """The id at the end of ``path`` (``"agency"``, ``"person__agency"``) for each instance.

    The first hop is read from the instance's own column; the rest in one query per model,
    so auditing a thousand shifts does not load a thousand people.
    """
    if path is None or not instances:
        return [None] * len(instances)
    first, _, rest = path.partition("__")
    own = [getattr(instance, f"{first}_id", None) for instance in instances]
    if not rest:
        return own
    related: type[models.Model] = type(instances[0])._meta.get_field(first).related_model  # type: ignore[assignment]
    wanted = {value for value in own if value is not None}
    found = dict(
        related._default_manager.filter(pk__in=wanted).values_list("pk", rest) if wanted else []
    )
    return [found.get(value) if value is not None else None for value in own]


def _agencies(changes: Sequence[Change]) -> list[int | None]:
    by_model: dict[type[models.Model], list[int]] = {}
    for index, change in enumerate(changes):
        if change.agency_id is None:
            by_model.setdefault(type(change.instance), []).append(index)
    result = [change.agency_id for change in changes]
    for model, indexes in by_model.items():
        path = getattr(model, "scope_agency_field", None)
        resolved = _resolve([changes[i].instance for i in indexes], path)
        for index, agency_id in zip(indexes, resolved, strict=True):
            result[index] = agency_id
    return result


@dataclass
class _Row:
    action: str
    object_type: str
    object_id: str
    object_repr: str
    region_id: int | None
    agency_id: int | None
    before: Any = None
    after: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


class _Kept:
    """A ``record`` made inside ``together``: who and what, held for the block's append. It is
    also registered as a do-nothing ``on_commit`` callback: Django drops the callbacks of a
    savepoint that is rolled back, so a record whose changes were undone is left out."""

    def __init__(self, acting_user: Any, rows: list[_Row]) -> None:
        self.acting_user = acting_user
        self.rows = rows

    def __call__(self) -> None:
        return None


@dataclass
class _Held:
    connection: Any
    """The connection whose transaction the block belongs to (a thread that inherits the
    context has its own connection and transaction, and appends its own entries)."""
    records: list[_Kept] = field(default_factory=list)


_together: ContextVar[_Held | None] = ContextVar("saqshy_audit_together", default=None)


@contextmanager
def together() -> Iterator[None]:
    """Hold every ``record`` made inside the block and append them when it ends, as late as
    the caller's transaction allows: each chain's head is locked once, after every row the
    block locked, and then held only until the commit that follows (the head is the one lock
    every writer of a region shares). Nothing is written when the block raises or the
    transaction is set to roll back, and a record made in a savepoint that was rolled back
    since (an error caught inside the block) is left out. A block inside another joins it."""
    current = transaction.get_connection()
    if not current.in_atomic_block:
        raise AuditError("audit.together must be used inside transaction.atomic()")
    outer = _together.get()
    if outer is not None and outer.connection is current:
        yield
        return
    held = _Held(current)
    token = _together.set(held)
    try:
        yield
    finally:
        _together.reset(token)
    kept = held.records
    if not kept or current.needs_rollback:
        return
    standing = {id(item[1]) for item in current.run_on_commit}
    groups: list[tuple[Any, list[_Row]]] = []
    for record_ in kept:
        if id(record_) not in standing:
            continue
        if groups and groups[-1][0] is record_.acting_user:
            groups[-1][1].extend(record_.rows)
        else:
            groups.append((record_.acting_user, list(record_.rows)))
    for acting_user, rows in groups:
        _append(acting_user, rows)


def record(*, acting_user: Any, changes: Iterable[Change]) -> list[AuditEntry]:
    """Append entries for ``changes``; must run inside the caller's transaction.

    Entries of one chain are written under a lock on the chain's head row, so concurrent
    writers form one unbroken sequence. Inside ``together`` the entries are held for the
    block's append, and nothing is returned.
    """
    if not connection.in_atomic_block:
        raise AuditError("audit.record must be called inside transaction.atomic()")
    listed = list(changes)
    rows = [
        _Row(
            action=change.action,
            object_type=_label(type(change.instance)),
            object_id=str(change.instance.pk),
            object_repr=str(change.instance)[:200],
            region_id=change.region_id,
            agency_id=agency_id,
            before=change.before,
            after=change.after,
        )
        for change, agency_id in zip(listed, _agencies(listed), strict=True)
    ]
    held = _together.get()
    if held is not None and held.connection is transaction.get_connection():
        record_ = _Kept(acting_user, rows)
        held.records.append(record_)
        transaction.on_commit(record_)
        return []
    return _append(acting_user, rows)


def record_read(
    *, acting_user: Any, instances: Iterable[models.Model], via: str = ""
) -> list[AuditEntry]:
    """Audit that ``acting_user`` read ``instances`` (records holding personal data).

    One entry per request and per (kind, region, agency) of the records read, so each entry
    is visible to exactly those who may see the records: ``after`` holds ``{"ids": [...]}``
    (and ``via``, e.g. the page or export), ``object_id`` names the record when only one was
    read. Runs in its own transaction (nested in the caller's, if any).
    """
    items = list(instances)
    if not items:
        return []
    groups: dict[tuple[str, int | None, int | None], list[models.Model]] = {}
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for instance in items:
        by_model.setdefault(type(instance), []).append(instance)
    for model, members in by_model.items():
        regions = _resolve(members, getattr(model, "scope_region_field", None))
        agencies = _resolve(members, getattr(model, "scope_agency_field", None))
        for instance, region_id, agency_id in zip(members, regions, agencies, strict=True):
            groups.setdefault((_label(model), region_id, agency_id), []).append(instance)
    rows = []
    for (label, region_id, agency_id), members in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2] or 0)
    ):
        ids = sorted({m.pk for m in members})
        single = len(ids) == 1
        after: dict[str, Any] = {"ids": ids}
        if via:
            after["via"] = via
        rows.append(
            _Row(
                action=AuditEntry.Action.READ,
                object_type=label,
                object_id=str(ids[0]) if single else "",
                object_repr=str(members[0])[:200] if single else "",
                region_id=region_id,
                agency_id=agency_id,
                after=after,
            )
        )
    with transaction.atomic():
        return _append(acting_user, rows)


def record_export(
    *,
    acting_user: Any,
    model: type[models.Model],
    filters: dict[str, Any],
    rows: int,
    fmt: str,
    region_id: int | None = None,
) -> AuditEntry:
    """Audit that ``acting_user`` exported ``rows`` records of ``model`` as ``fmt``, chosen by
    ``filters`` (the query as the user gave it). ``region_id`` is the one region the export
    was limited to, or None (the entry then sits in the national chain)."""
    row = _Row(
        action=AuditEntry.Action.EXPORT,
        object_type=_label(model),
        object_id="",
        object_repr="",
        region_id=region_id,
        agency_id=None,
        after={"filters": filters, "rows": rows, "format": fmt},
    )
    with transaction.atomic():
        return _append(acting_user, [row])[0]


def record_wipe(
    *,
    acting_user: Any,
    what: str,
    counts: dict[str, int],
    filters: dict[str, Any],
    region_id: int | None = None,
) -> AuditEntry:
    """One entry for a bulk removal (``what``: ``core.exercise``): how many rows of each model
    went (``counts``) and which were chosen (``filters``). Runs in the caller's transaction;
    the entries of the removed records stay in the chain."""
    if not connection.in_atomic_block:
        raise AuditError("audit.record_wipe must be called inside transaction.atomic()")
    row = _Row(
        action=AuditEntry.Action.DELETE,
        object_type=what,
        object_id="",
        object_repr="",
        region_id=region_id,
        agency_id=None,
        before={"counts": counts, "filters": filters},
    )
    return _append(acting_user, [row])[0]


def _append(acting_user: Any, rows: list[_Row]) -> list[AuditEntry]:
    by_chain: dict[str, list[_Row]] = {}
    for row in rows:
        by_chain.setdefault(chain_for(row.region_id), []).append(row)
    actor_id = getattr(acting_user, "pk", None)
    actor_repr = getattr(acting_user, "username", "") or ("system" if acting_user is None else "")
    request_id = current_request_id()
    now = timezone.now()
    key = audit_key()
    written: list[AuditEntry] = []
    # A fixed number of queries however many chains (a page read across twenty regions):
    # every head locked in chain order (no deadlock between writers), the entries inserted
    # together and the heads moved on in one statement. A chain's head is created by its
    # first entry only: then the heads are locked again, with the new ones. (Two writers
    # that both begin new chains at once can then deadlock; PostgreSQL ends one, which
    # answers 503 and is retried with its key. It happens once per chain, ever.)
    chains = sorted(by_chain)
    heads = _locked_heads(chains)
    if len(heads) < len(chains):
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(chain=chain) for chain in chains if chain not in heads],
            ignore_conflicts=True,
        )
        heads = _locked_heads(chains)
    for chain in chains:
        head = heads[chain]
        for row in by_chain[chain]:
            entry = AuditEntry(
                chain=chain,
                at=now,
                actor_id=actor_id,
                actor_repr=actor_repr[:150],
                action=row.action,
                object_type=row.object_type,
                object_id=row.object_id[:64],
                object_repr=row.object_repr,
                region_id=row.region_id,
                agency_id=row.agency_id,
                before=to_jsonable(row.before),
                after=to_jsonable(row.after),
                request_id=request_id[:80],
            )
            written.append(_link(head, entry, key))
    AuditEntry.objects.bulk_create(written, batch_size=500)
    AuditChainHead.objects.bulk_update(list(heads.values()), ["seq", "hash"])
    return written


def _locked_heads(chains: list[str]) -> dict[str, AuditChainHead]:
    """The existing heads of ``chains``, locked in chain order."""
    locked = AuditChainHead.objects.select_for_update().filter(chain__in=chains)
    return {head.chain: head for head in locked.order_by("chain")}


def _link(head: AuditChainHead, entry: AuditEntry, key: bytes) -> AuditEntry:
    """Make ``entry`` the next one of ``head``'s chain: its seq, previous hash and hash."""
    entry.seq = head.seq + 1
    entry.prev_hash = head.hash
    entry.hash = compute_hash(entry, key)
    head.seq, head.hash = entry.seq, entry.hash
    return entry


@dataclass(frozen=True)
class HistoryEntry:
    """One entry of history written in bulk, with its own time and actor (``append_history``).

    ``object_type`` is the model's label (``"incidents.incident"``); ``before``/``after`` must
    be JSON values.
    """

    at: datetime
    action: str
    object_type: str
    object_id: str
    region_id: int | None
    object_repr: str = ""
    agency_id: int | None = None
    actor_id: int | None = None
    actor_repr: str = ""
    before: Any = None
    after: Any = None


def append_history(
    entries: Iterable[HistoryEntry], *, request_id: str = "", batch_size: int = 2000
) -> int:
    """Append ``entries`` in bulk, each chain's in the order given, chained exactly as
    ``record`` chains them (so ``verify`` passes), under a lock on each chain's head.

    For importers and generators that write a season of history at once: the entries keep
    their own times and actors. Must run inside the caller's transaction. Returns how many
    entries were written.
    """
    if not connection.in_atomic_block:
        raise AuditError("audit.append_history must be called inside transaction.atomic()")
    key = audit_key()
    heads: dict[str, AuditChainHead] = {}
    pending: dict[str, list[AuditEntry]] = {}
    written = 0

    def flush(chain: str) -> None:
        AuditEntry.objects.bulk_create(pending.pop(chain), batch_size=batch_size)
        heads[chain].save(update_fields=["seq", "hash"])

    for item in entries:
        chain = chain_for(item.region_id)
        head = heads.get(chain)
        if head is None:
            AuditChainHead.objects.get_or_create(chain=chain)
            head = heads[chain] = AuditChainHead.objects.select_for_update().get(chain=chain)
        entry = AuditEntry(
            chain=chain,
            at=item.at,
            actor_id=item.actor_id,
            actor_repr=item.actor_repr[:150],
            action=item.action,
            object_type=item.object_type,
            object_id=item.object_id[:64],
            object_repr=item.object_repr[:200],
            region_id=item.region_id,
            agency_id=item.agency_id,
            before=item.before,
            after=item.after,
            request_id=request_id[:80],
        )
        batch = pending.setdefault(chain, [])
        batch.append(_link(head, entry, key))
        written += 1
        if len(batch) >= batch_size:
            flush(chain)
    for chain in list(pending):
        flush(chain)
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
    checked, key = 0, audit_key()
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
            if not hmac.compare_digest(compute_hash(entry, key), entry.hash):
                return checked, Break(
                    name,
                    entry.pk,
                    entry.seq,
                    "its content does not match its keyed hash (edited, or hashes recomputed "
                    "without the audit key)",
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


def _head_payload(published_at: str, chains: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": HEAD_FORMAT, "published_at": published_at, "chains": chains}


def publish_heads(at: datetime | None = None) -> dict[str, Any]:
    """Every chain's current (name, seq, hash) with a timestamp, signed with the audit key.

    A third party keeps these (e.g. one a day); ``check_published`` later proves that every
    entry up to each published head is still there, unchanged. Refuses if a head does not
    match its chain's last entry, so a broken state is never published as good.
    """
    chains = []
    for head in AuditChainHead.objects.order_by("chain"):
        last = AuditEntry.objects.filter(chain=head.chain, seq=head.seq).values_list(
            "hash", flat=True
        )
        if head.seq and list(last) != [head.hash]:
            raise AuditError(f"chain {head.chain}: its head does not match entry seq {head.seq}")
        chains.append({"chain": head.chain, "seq": head.seq, "hash": head.hash})
    published_at = _timestamp(at or timezone.now())
    payload = _head_payload(published_at, chains)
    return payload | {"signature": _mac(payload)}


def check_published(published: dict[str, Any]) -> Break | None:
    """Whether the trail still contains every chain up to the heads in ``published``.

    Detects a forged or altered head file (signature), a chain deleted entirely, a chain cut
    back below its published head (even with its head row rewound to match), and entries up
    to the published head rewritten, with or without the key (hash differs).
    """
    try:
        payload = _head_payload(published["published_at"], published["chains"])
        signature = str(published["signature"])
        if published.get("format") != HEAD_FORMAT:
            raise KeyError("format")
    except (KeyError, TypeError):
        return Break("*", None, 0, "the published head is not in the expected format")
    if not hmac.compare_digest(_mac(payload), signature):
        return Break("*", None, 0, "the published head's signature does not match (forged?)")
    at = published["published_at"]
    for item in published["chains"]:
        name, seq, expected = item["chain"], int(item["seq"]), item["hash"]
        if seq == 0:
            continue
        head = AuditChainHead.objects.filter(chain=name).first()
        stored = AuditEntry.objects.filter(chain=name, seq=seq).values_list("pk", "hash").first()
        if head is None and stored is None:
            return Break(name, None, seq, f"the chain published at {at} no longer exists")
        if stored is None or (head is not None and head.seq < seq):
            current = head.seq if head is not None else 0
            return Break(
                name,
                None,
                seq,
                f"published at {at} with seq {seq}, now ends at seq {current}: "
                "entries were cut off and the head rewound",
            )
        if not hmac.compare_digest(stored[1], expected):
            return Break(
                name,
                stored[0],
                seq,
                f"its hash differs from the one published at {at}: the chain was rewritten",
            )
    return None

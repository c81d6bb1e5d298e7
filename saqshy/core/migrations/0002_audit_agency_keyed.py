"""Audit entries carry the agency of their record; the chain becomes keyed; rows are guarded.

1. ``agency_id`` is added and backfilled where the trail itself says it (no look-ups in other
   apps' tables, so this migration does not depend on them): people and units carry
   ``agency_id`` in their create/delete snapshots, absences and shifts name a ``person_id``
   whose agency the trail knows. Entries left without one (the record predates the trail,
   or an update that never named it) are visible only to readers not limited to one agency.
2. Every chain is first verified with the old unkeyed SHA-256, then re-sealed with
   HMAC-SHA256 under the audit key over the content including ``agency_id``, and its head
   updated. A chain that fails the old verification stops the migration: investigate it with
   the previous release's ``verify_audit`` before upgrading.
3. The database trigger refusing UPDATE/DELETE of entries is installed (``audit_guard``).
"""

import hashlib
import hmac
import json
from datetime import UTC

from django.db import migrations, models

from saqshy.core import audit_guard

GENESIS = "0" * 64
DIRECT = {"duty.person", "incidents.unit"}
VIA_PERSON = {"duty.absence", "duty.shift"}


def _content(entry, *, with_agency):
    content = {
        "chain": entry.chain,
        "seq": entry.seq,
        "at": entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
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
    if with_agency:
        content["agency_id"] = entry.agency_id
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _legacy_hash(entry):
    return hashlib.sha256(_content(entry, with_agency=False).encode("utf-8")).hexdigest()


def _keyed_hash(entry, key):
    return hmac.new(key, _content(entry, with_agency=True).encode("utf-8"), "sha256").hexdigest()


def _value(entry, name):
    for snapshot in (entry.after, entry.before):
        if isinstance(snapshot, dict) and snapshot.get(name) is not None:
            return snapshot[name]
    return None


def _derive_agencies(entries):
    """Entry id -> agency id for the agency-owned kinds, replaying the trail in order."""
    person_agency, object_person, object_agency, found = {}, {}, {}, {}
    kinds = DIRECT | VIA_PERSON
    for entry in entries.filter(object_type__in=kinds).order_by("id").iterator(chunk_size=2000):
        key = (entry.object_type, entry.object_id)
        if entry.object_type in DIRECT:
            agency = _value(entry, "agency_id") or object_agency.get(key)
            object_agency[key] = agency
            if entry.object_type == "duty.person" and agency is not None:
                person_agency[entry.object_id] = agency
        else:
            person = _value(entry, "person_id") or object_person.get(key)
            object_person[key] = person
            agency = person_agency.get(str(person)) if person is not None else None
        if agency is not None:
            found[entry.pk] = agency
    return found


def reseal(apps, schema_editor):
    from saqshy.core.audit import audit_key

    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    alias = schema_editor.connection.alias
    entries = AuditEntry._base_manager.using(alias)
    if not entries.exists():
        return
    agencies = _derive_agencies(entries)
    key = audit_key()
    heads = {h.chain: h for h in AuditChainHead._base_manager.using(alias)}
    chains = set(heads) | set(entries.order_by().values_list("chain", flat=True).distinct())
    for chain in sorted(chains):
        old_prev, new_prev, seq, batch = GENESIS, GENESIS, 0, []
        for entry in entries.filter(chain=chain).order_by("seq").iterator(chunk_size=2000):
            seq += 1
            if (
                entry.seq != seq
                or entry.prev_hash != old_prev
                or _legacy_hash(entry) != entry.hash
            ):
                raise RuntimeError(
                    f"audit chain {chain} is broken at seq {seq} (entry #{entry.pk}); not "
                    "re-sealing it. Investigate with the previous release's verify_audit."
                )
            old_prev = entry.hash
            entry.agency_id = agencies.get(entry.pk)
            entry.prev_hash = new_prev
            entry.hash = _keyed_hash(entry, key)
            new_prev = entry.hash
            batch.append(entry)
            if len(batch) >= 1000:
                entries.bulk_update(batch, ["agency_id", "prev_hash", "hash"])
                batch = []
        entries.bulk_update(batch, ["agency_id", "prev_hash", "hash"])
        head = heads.get(chain)
        if head is None or (head.seq, head.hash) != (seq, old_prev):
            raise RuntimeError(
                f"audit chain {chain} ends at seq {seq} but its head disagrees; not re-sealing."
            )
        head.hash = new_prev
        head.save(using=alias, update_fields=["hash"])


def install_guard(apps, schema_editor):
    audit_guard.install(schema_editor.connection)


def remove_guard(apps, schema_editor):
    audit_guard.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="agency_id",
            field=models.BigIntegerField(
                blank=True, db_index=True, null=True, verbose_name="agency id"
            ),
        ),
        migrations.RunPython(reseal, migrations.RunPython.noop),
        migrations.RunPython(install_guard, remove_guard),
    ]

"""What the audit trail withstands from someone who can write to the database.

Each attack here passed the old verification (unkeyed SHA-256, no published heads, no
trigger): the tests prove the keyed chain, the signed published heads and the database
trigger now catch or stop it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from saqshy.core import audit, audit_guard
from saqshy.core.audit_models import AuditChainHead, AuditEntry
from saqshy.core.testing.geography import make_region
from saqshy.facilities import services
from saqshy.facilities.models import Facility

pytestmark = pytest.mark.django_db
TABLE = AuditEntry._meta.db_table


@pytest.fixture
def trail() -> list[Facility]:
    make_region("astana")
    make_region("almaty")
    made = [
        services.create_facility(
            acting_user=None, kind="school", name=f"School {n}", lat=51.1 + n / 1000, lon=71.4
        )
        for n in range(4)
    ]
    made.append(
        services.create_facility(acting_user=None, kind="mall", name="Mega", lat=43.2, lon=76.9)
    )
    return made


def _astana_chain() -> str:
    facility = Facility.objects.get(name="School 0")
    return audit.chain_for(facility.region_id)


def _publish(tmp_path: Path, name: str = "head.json") -> Path:
    target = tmp_path / name
    call_command("audit_head", output=str(target))
    return target


def _as_admin(statements: list[tuple[str, list[Any]]]) -> None:
    """Run SQL as a database administrator who disables the append-only trigger first."""
    with audit_guard.suspended(connection), connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def _unkeyed_hash(entry: AuditEntry) -> str:
    """What an attacker without the key computes: the chain's content hashed with SHA-256."""
    content = {
        "chain": entry.chain,
        "seq": entry.seq,
        "at": audit._timestamp(entry.at),
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
    if hasattr(entry, "agency_id"):
        content["agency_id"] = entry.agency_id
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _rechain(chain: str, edit: dict[str, Any]) -> None:
    """Edit the first entry of ``chain`` and recompute every hash after it, and the head."""
    entries = list(AuditEntry.objects.filter(chain=chain).order_by("seq"))
    statements: list[tuple[str, list[Any]]] = []
    prev = audit.GENESIS
    for index, entry in enumerate(entries):
        if index == 0:
            for name, value in edit.items():
                setattr(entry, name, value)
        entry.prev_hash = prev
        entry.hash = _unkeyed_hash(entry)
        prev = entry.hash
        statements.append(
            (
                f"UPDATE {TABLE} SET object_repr = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [entry.object_repr, entry.prev_hash, entry.hash, entry.pk],
            )
        )
    _as_admin(statements)
    AuditChainHead.objects.filter(chain=chain).update(hash=prev)


def test_hashes_recomputed_after_an_edit_are_detected(trail: list[Facility]) -> None:
    chain = _astana_chain()
    _rechain(chain, {"object_repr": "forged"})
    _checked, broken = audit.verify()
    assert broken is not None
    assert (broken.chain, broken.seq) == (chain, 1)
    assert "keyed hash" in broken.reason
    with pytest.raises(CommandError, match="keyed hash"):
        call_command("verify_audit")


def test_the_chain_depends_on_the_key(trail: list[Facility]) -> None:
    assert audit.verify()[1] is None
    with override_settings(SAQSHY_AUDIT_KEY="another key entirely"):
        broken = audit.verify()[1]
    assert broken is not None and broken.seq == 1


def test_head_rewound_after_cutting_the_tail_is_detected(
    trail: list[Facility], tmp_path: Path
) -> None:
    published = _publish(tmp_path)
    chain = _astana_chain()
    kept = AuditEntry.objects.get(chain=chain, seq=2)
    _as_admin([(f"DELETE FROM {TABLE} WHERE chain = %s AND seq > 2", [chain])])
    AuditChainHead.objects.filter(chain=chain).update(seq=kept.seq, hash=kept.hash)
    assert audit.verify()[1] is None  # the chain alone cannot tell
    with pytest.raises(CommandError, match=r"seq 4, now ends at seq 2: entries were cut off"):
        call_command("verify_audit", against=[str(published)])


def test_a_whole_chain_deleted_is_detected(trail: list[Facility], tmp_path: Path) -> None:
    published = _publish(tmp_path)
    chain = _astana_chain()
    _as_admin([(f"DELETE FROM {TABLE} WHERE chain = %s", [chain])])
    AuditChainHead.objects.filter(chain=chain).delete()
    assert audit.verify()[1] is None  # the chain alone cannot tell
    with pytest.raises(CommandError, match=rf"chain {chain}.*no longer exists"):
        call_command("verify_audit", against=[str(published)])


def test_a_chain_rewritten_before_the_published_head_is_detected(
    trail: list[Facility], tmp_path: Path
) -> None:
    """Even someone holding the key cannot rewrite what was published."""
    published = _publish(tmp_path)
    chain = _astana_chain()
    entries = list(AuditEntry.objects.filter(chain=chain).order_by("seq"))
    statements: list[tuple[str, list[Any]]] = []
    prev = audit.GENESIS
    for entry in entries:
        entry.object_repr = "forged" if entry.seq == 1 else entry.object_repr
        entry.prev_hash = prev
        entry.hash = audit.compute_hash(entry)
        prev = entry.hash
        statements.append(
            (
                f"UPDATE {TABLE} SET object_repr = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [entry.object_repr, entry.prev_hash, entry.hash, entry.pk],
            )
        )
    _as_admin(statements)
    AuditChainHead.objects.filter(chain=chain).update(hash=prev)
    assert audit.verify()[1] is None
    with pytest.raises(CommandError, match="differs from the one published"):
        call_command("verify_audit", against=[str(published)])


def test_several_published_heads_and_later_growth_verify(
    trail: list[Facility], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _publish(tmp_path, "day1.json")
    services.create_facility(acting_user=None, kind="school", name="Later", lat=51.2, lon=71.4)
    second = _publish(tmp_path, "day2.json")
    call_command("verify_audit", against=[str(first), str(second)])
    assert "matching 2 published head(s)" in capsys.readouterr().out


def test_published_head_is_signed(trail: list[Facility], tmp_path: Path) -> None:
    path = _publish(tmp_path)
    heads = json.loads(path.read_text())
    assert heads["format"] == audit.HEAD_FORMAT
    assert {c["chain"] for c in heads["chains"]} == set(
        AuditChainHead.objects.values_list("chain", flat=True)
    )
    assert all(len(c["hash"]) == 64 and c["seq"] > 0 for c in heads["chains"])
    heads["chains"][0]["seq"] -= 1  # lowering a published head to cover a cut
    path.write_text(json.dumps(heads))
    with pytest.raises(CommandError, match="signature does not match"):
        call_command("verify_audit", against=[str(path)])


def test_unreadable_published_head_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "nonsense.json"
    path.write_text("not json")
    with pytest.raises(CommandError, match="cannot read a published head"):
        call_command("verify_audit", against=[str(path)])


def test_audit_head_prints_json(trail: list[Facility], capsys: pytest.CaptureFixture[str]) -> None:
    call_command("audit_head")
    heads = json.loads(capsys.readouterr().out)
    assert set(heads) == {"format", "published_at", "chains", "signature"}


def test_database_refuses_to_change_entries(trail: list[Facility]) -> None:
    entry = AuditEntry.objects.order_by("id").first()
    assert entry is not None
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", ["x", entry.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == entry.object_repr
    assert audit.verify()[1] is None


@pytest.mark.django_db(transaction=True)
def test_tables_can_still_be_flushed(trail: list[Facility]) -> None:
    """Test teardown and ``manage.py flush`` empty the table despite the trigger."""
    assert AuditEntry.objects.exists()
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()


def test_deploy_check_warns_without_an_audit_key() -> None:
    with override_settings(SAQSHY_AUDIT_KEY=""):
        assert [m.id for m in audit.check_audit_key()] == ["saqshy.W001"]
    with override_settings(SAQSHY_AUDIT_KEY="long random secret"):
        assert audit.check_audit_key() == []

"""Migration 0002 re-seals a trail written by the old code: agency backfilled, chain keyed."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from saqshy.accounts.models import Agency
from saqshy.core import audit, audit_guard
from saqshy.core.audit_models import AuditChainHead, AuditEntry
from saqshy.core.testing.personas import make_personas
from saqshy.duty import services as duty_services

pytestmark = pytest.mark.django_db
migration = importlib.import_module("saqshy.core.migrations.0002_audit_agency_keyed")


def _legacy(entry: AuditEntry) -> str:
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
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _make_legacy_trail() -> dict[str, int]:
    """Write a trail with today's code, then turn it into what the old code wrote."""
    p = make_personas()
    police = Agency.objects.get(code="police-astana")
    person = duty_services.create_person(
        acting_user=p.admin, agency=police, personnel_number="P-1", first_name="A", last_name="B"
    )
    duty_services.update_person(acting_user=p.admin, person=person, position="Major")
    absence = duty_services.add_absence(
        acting_user=p.admin,
        person=person,
        kind="sick",
        starts_at=timezone.now(),
        ends_at=timezone.now() + dt.timedelta(days=2),
    )
    with audit_guard.suspended(connection):
        for head in AuditChainHead.objects.all():
            prev = audit.GENESIS
            for entry in AuditEntry.objects.filter(chain=head.chain).order_by("seq"):
                entry.agency_id, entry.prev_hash = None, prev
                entry.hash = prev = _legacy(entry)
                AuditEntry._base_manager.filter(pk=entry.pk).update(
                    agency_id=None, prev_hash=entry.prev_hash, hash=entry.hash
                )
            AuditChainHead.objects.filter(pk=head.pk).update(hash=prev)
    return {"person": person.pk, "absence": absence.pk, "agency": police.pk}


def _reseal() -> None:
    with audit_guard.suspended(connection):
        migration.reseal(apps, SimpleNamespace(connection=connection))


def test_reseal_keys_the_chain_and_backfills_agencies() -> None:
    made = _make_legacy_trail()
    assert audit.verify()[1] is not None  # the old hashes are not keyed
    _reseal()
    assert audit.verify()[1] is None
    person_entries = AuditEntry.objects.filter(object_type="duty.person")
    assert {e.agency_id for e in person_entries} == {made["agency"]}
    assert {e.action for e in person_entries} == {"create", "update"}
    absence = AuditEntry.objects.get(object_type="duty.absence", object_id=str(made["absence"]))
    assert absence.agency_id == made["agency"]


def test_reseal_refuses_a_broken_legacy_chain() -> None:
    _make_legacy_trail()
    victim = AuditEntry.objects.filter(object_type="duty.person").order_by("id").first()
    assert victim is not None
    with audit_guard.suspended(connection):
        AuditEntry._base_manager.filter(pk=victim.pk).update(object_repr="forged")
    with pytest.raises(RuntimeError, match="broken at seq"):
        _reseal()

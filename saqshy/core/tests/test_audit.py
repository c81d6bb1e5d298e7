from __future__ import annotations

from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from saqshy.core import audit, audit_guard
from saqshy.core.audit_models import AuditChainHead, AuditEntry, AuditError
from saqshy.core.testing.geography import make_region
from saqshy.facilities import services
from saqshy.facilities.models import Facility

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail() -> list[Facility]:
    astana, almaty = make_region("astana"), make_region("almaty")
    made = [
        services.create_facility(
            acting_user=None, kind="school", name=f"School {n}", lat=51.1 + n / 1000, lon=71.4
        )
        for n in range(3)
    ]
    made.append(
        services.create_facility(acting_user=None, kind="mall", name="Mega", lat=43.2, lon=76.9)
    )
    services.update_facility(acting_user=None, facility=made[0], capacity=900)
    services.delete_facility(acting_user=None, facility=made[1])
    assert {f.region_id for f in made} == {astana.pk, almaty.pk}
    return made


def _tamper(sql: str, params: list[object]) -> None:
    """Change rows as a database administrator who first disables the append-only trigger."""
    with audit_guard.suspended(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_untouched_chain_verifies(trail: list[Facility]) -> None:
    checked, broken = audit.verify()
    assert broken is None
    assert checked == AuditEntry.objects.count() == 6
    call_command("verify_audit")


def test_entries_are_chained_per_region(trail: list[Facility]) -> None:
    chains = set(AuditEntry.objects.values_list("chain", flat=True))
    assert len(chains) == 2
    for chain in chains:
        entries = list(AuditEntry.objects.filter(chain=chain).order_by("seq"))
        assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
        assert entries[0].prev_hash == audit.GENESIS
        for before, after in pairwise(entries):
            assert after.prev_hash == before.hash


def test_update_records_before_and_after(trail: list[Facility]) -> None:
    entry = AuditEntry.objects.get(action="update")
    assert entry.before == {"capacity": None}
    assert entry.after == {"capacity": 900}


def test_edited_row_is_named(trail: list[Facility]) -> None:
    victim = AuditEntry.objects.filter(action="update").get()
    _tamper(
        f"UPDATE {AuditEntry._meta.db_table} SET after = %s WHERE id = %s",
        ['{"capacity": 90}', victim.pk],
    )
    with pytest.raises(CommandError, match=rf"entry #{victim.pk} .*edited"):
        call_command("verify_audit")


def test_edited_actor_is_detected(trail: list[Facility]) -> None:
    victim = AuditEntry.objects.order_by("id").first()
    assert victim is not None
    _tamper(
        f"UPDATE {AuditEntry._meta.db_table} SET actor_repr = %s WHERE id = %s",
        ["someone-else", victim.pk],
    )
    _checked, broken = audit.verify()
    assert broken is not None and broken.entry_id == victim.pk


def test_removed_row_is_detected(trail: list[Facility]) -> None:
    chain = AuditEntry.objects.filter(action="update").get().chain
    middle = AuditEntry.objects.filter(chain=chain, seq=2).get()
    _tamper(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [middle.pk])
    with pytest.raises(CommandError, match="seq 2 is missing"):
        call_command("verify_audit")


def test_removed_last_row_is_detected(trail: list[Facility]) -> None:
    last = AuditEntry.objects.order_by("-id").first()
    assert last is not None
    _tamper(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [last.pk])
    with pytest.raises(CommandError, match="entries were removed"):
        call_command("verify_audit")


def test_rewritten_hash_breaks_the_next_link(trail: list[Facility]) -> None:
    """Recomputing a tampered entry's own hash still breaks the entry after it."""
    chain = AuditEntry.objects.filter(action="update").get().chain
    first = AuditEntry.objects.get(chain=chain, seq=1)
    first.object_repr = "forged"
    forged = audit.compute_hash(first)
    _tamper(
        f"UPDATE {AuditEntry._meta.db_table} SET object_repr = %s, hash = %s WHERE id = %s",
        ["forged", forged, first.pk],
    )
    _checked, broken = audit.verify()
    assert broken is not None
    assert broken.seq == 2 and "previous-hash" in broken.reason


def test_audit_rows_cannot_be_changed_through_the_orm(trail: list[Facility]) -> None:
    entry = AuditEntry.objects.first()
    assert entry is not None
    entry.object_repr = "changed"
    with pytest.raises(AuditError):
        entry.save()
    with pytest.raises(AuditError):
        entry.delete()
    with pytest.raises(AuditError):
        AuditEntry.objects.all().update(object_repr="x")
    with pytest.raises(AuditError):
        AuditEntry.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_record_requires_a_transaction(trail: list[Facility]) -> None:
    facility = Facility.objects.first()
    assert facility is not None
    with pytest.raises(AuditError):
        audit.record(acting_user=None, changes=[audit.Change("read", facility, None)])


def test_heads_match_the_last_entries(trail: list[Facility]) -> None:
    for head in AuditChainHead.objects.all():
        last = AuditEntry.objects.filter(chain=head.chain).order_by("-seq").first()
        assert last is not None and (head.seq, head.hash) == (last.seq, last.hash)


def test_failed_transaction_leaves_no_entry(trail: list[Facility]) -> None:
    count = AuditEntry.objects.count()
    facility = Facility.objects.first()
    assert facility is not None
    with pytest.raises(RuntimeError), transaction.atomic():
        services.update_facility(acting_user=None, facility=facility, capacity=1)
        raise RuntimeError("roll back")
    assert AuditEntry.objects.count() == count
    assert audit.verify()[1] is None


def _head_locks(queries: CaptureQueriesContext) -> int:
    return sum(
        1
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and "core_auditchainhead" in q["sql"]
    )


def test_together_writes_its_entries_in_one_append_in_order(trail: list[Facility]) -> None:
    first, second = Facility.objects.order_by("pk")[:2]
    count = AuditEntry.objects.count()
    with (
        transaction.atomic(),
        CaptureQueriesContext(connection) as queries,
        audit.together(),
    ):
        services.update_facility(acting_user=None, facility=first, capacity=11)
        services.update_facility(acting_user=None, facility=second, capacity=12)
        assert AuditEntry.objects.count() == count  # kept until the block ends
    assert _head_locks(queries) == 1
    written = list(AuditEntry.objects.order_by("pk")[count:])
    assert [(e.object_id, e.after) for e in written] == [
        (str(first.pk), {"capacity": 11}),
        (str(second.pk), {"capacity": 12}),
    ]
    assert audit.verify()[1] is None


def test_together_writes_nothing_when_its_block_fails(trail: list[Facility]) -> None:
    facility = Facility.objects.first()
    assert facility is not None
    count = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic(), audit.together():
        services.update_facility(acting_user=None, facility=facility, capacity=1)
        raise RuntimeError("roll back")
    assert AuditEntry.objects.count() == count
    assert audit.verify()[1] is None


def test_together_leaves_out_what_a_rolled_back_savepoint_recorded(trail: list[Facility]) -> None:
    first, second = Facility.objects.order_by("pk")[:2]
    count = AuditEntry.objects.count()
    with transaction.atomic(), audit.together():
        services.update_facility(acting_user=None, facility=first, capacity=21)
        try:
            with transaction.atomic():
                services.update_facility(acting_user=None, facility=second, capacity=22)
                raise RuntimeError("undone")
        except RuntimeError:
            pass
    written = list(AuditEntry.objects.order_by("pk")[count:])
    assert [(e.object_id, e.after) for e in written] == [(str(first.pk), {"capacity": 21})]
    assert Facility.objects.get(pk=second.pk).capacity != 22
    assert audit.verify()[1] is None


def test_together_writes_nothing_when_the_transaction_is_set_to_roll_back(
    trail: list[Facility],
) -> None:
    facility = Facility.objects.first()
    assert facility is not None
    count = AuditEntry.objects.count()
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries, audit.together():
            services.update_facility(acting_user=None, facility=facility, capacity=31)
            transaction.set_rollback(True)
        assert _head_locks(queries) == 0
    assert AuditEntry.objects.count() == count


def test_together_inside_together_is_one_append_with_each_users_name(
    trail: list[Facility],
) -> None:
    first, second = Facility.objects.order_by("pk")[:2]
    someone = get_user_model().objects.create(username="auditor-x", is_superuser=True)
    count = AuditEntry.objects.count()
    with transaction.atomic(), audit.together():
        services.update_facility(acting_user=someone, facility=first, capacity=41)
        with audit.together():
            services.update_facility(acting_user=None, facility=second, capacity=42)
        assert AuditEntry.objects.count() == count  # the inner block joined the outer one
    written = list(AuditEntry.objects.order_by("pk")[count:])
    assert [(e.actor_repr, e.after) for e in written] == [
        ("auditor-x", {"capacity": 41}),
        ("system", {"capacity": 42}),
    ]
    assert audit.verify()[1] is None


@pytest.mark.django_db(transaction=True)
def test_together_needs_a_transaction() -> None:
    with pytest.raises(AuditError), audit.together():
        pass

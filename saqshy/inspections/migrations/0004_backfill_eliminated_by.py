"""Who marked each violation eliminated before the column existed, read from the audit trail.

The separation of duties needs it: without it, a violation eliminated before this release
could be verified by the same inspector. The audit entry of the update that set the status to
``eliminated`` names its actor; the latest such entry wins. Violations eliminated by the
system (no actor) keep an empty value.
"""

from typing import Any

from django.db import migrations


def backfill(apps: Any, schema_editor: Any) -> None:
    Violation = apps.get_model("inspections", "Violation")
    AuditEntry = apps.get_model("core", "AuditEntry")
    User = apps.get_model("accounts", "User")
    pending = set(
        Violation.objects.filter(eliminated_by=None, eliminated_on__isnull=False).values_list(
            "pk", flat=True
        )
    )
    if not pending:
        return
    actors: dict[int, int] = {}
    entries = (
        AuditEntry.objects.filter(
            object_type="inspections.violation", action="update", actor_id__isnull=False
        )
        .order_by("chain", "seq")
        .values_list("object_id", "actor_id", "after")
    )
    for object_id, actor_id, after in entries.iterator():
        if not object_id.isdigit() or int(object_id) not in pending:
            continue
        if isinstance(after, dict) and after.get("status") == "eliminated":
            actors[int(object_id)] = actor_id
    known = set(User.objects.filter(pk__in=set(actors.values())).values_list("pk", flat=True))
    for violation_id, actor_id in actors.items():
        if actor_id in known:
            Violation.objects.filter(pk=violation_id).update(eliminated_by_id=actor_id)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0003_photo_evidence_and_eliminated_by"),
        ("core", "0003_idempotency"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

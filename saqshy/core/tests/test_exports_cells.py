"""Cells that a spreadsheet would run as a formula are neutralised; exports are audited."""

from __future__ import annotations

import datetime as dt

import pytest

from saqshy.accounts.models import Region
from saqshy.core import audit
from saqshy.core.audit_models import AuditEntry
from saqshy.core.exports import neutralise


@pytest.mark.parametrize("text", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"])
def test_formula_looking_text_is_neutralised(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Concert", "", "1 = 1", -5, 3.5, None, dt.date(2027, 1, 1)])
def test_everything_else_is_unchanged(value: object) -> None:
    assert neutralise(value) == value


@pytest.mark.django_db
def test_an_export_is_audited_with_its_filter() -> None:
    entry = audit.record_export(
        acting_user=None,
        model=Region,
        filters={"q": "ast"},
        rows=1,
        fmt="xlsx",
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.action == AuditEntry.Action.EXPORT
    assert stored.object_type == "accounts.region"
    assert stored.after == {"filters": {"q": "ast"}, "rows": 1, "format": "xlsx"}
    assert audit.verify(stored.chain)[1] is None

"""Closing and reopening a segment: one current closure, status kept equal, history kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from saqshy.accounts.models import User
from saqshy.core.audit_models import AuditEntry
from saqshy.core.exceptions import Conflict
from saqshy.roads import services
from saqshy.roads.choices import ClosureReason, Restriction, SegmentStatus
from saqshy.roads.models import Closure
from saqshy.roads.tests.factories import make_segment

pytestmark = pytest.mark.django_db


def test_restrict_then_close_then_reopen_keeps_the_history() -> None:
    segment = make_segment(2, 4)
    officer = User.objects.create_superuser(username="roads_officer", password="pw")
    start = timezone.now() - dt.timedelta(hours=2)
    services.close_segment(
        acting_user=officer,
        segment=segment,
        status=SegmentStatus.RESTRICTED,
        restriction=Restriction.NO_BUSES,
        reason=ClosureReason.ICE,
        starts_at=start,
    )
    closed = services.close_segment(
        acting_user=officer,
        segment=segment,
        status=SegmentStatus.CLOSED,
        reason=ClosureReason.BLIZZARD,
        expected_reopening_at=timezone.now() + dt.timedelta(hours=6),
    )
    segment.refresh_from_db()
    assert segment.status == SegmentStatus.CLOSED
    assert Closure.objects.filter(segment=segment, ended_at__isnull=True).get() == closed
    services.reopen_segment(acting_user=officer, segment=segment)
    segment.refresh_from_db()
    assert segment.status == SegmentStatus.OPEN
    assert Closure.objects.filter(segment=segment).count() == 2
    assert not Closure.objects.filter(segment=segment, ended_at__isnull=True).exists()
    assert AuditEntry.objects.filter(object_type="roads.closure", action="create").count() == 2
    with pytest.raises(Conflict):
        services.reopen_segment(acting_user=officer, segment=segment)


def test_bad_closures_are_refused_naming_the_field() -> None:
    segment = make_segment(2, 4)
    officer = User.objects.create_superuser(username="roads_officer2", password="pw")
    with pytest.raises(ValidationError) as error:
        services.close_segment(
            acting_user=officer,
            segment=segment,
            status=SegmentStatus.RESTRICTED,
            reason=ClosureReason.ICE,
        )
    assert "restriction" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.close_segment(
            acting_user=officer,
            segment=segment,
            status=SegmentStatus.CLOSED,
            reason=ClosureReason.ICE,
            expected_reopening_at=timezone.now() - dt.timedelta(hours=1),
        )
    assert "expected_reopening_at" in error.value.message_dict
    assert not Closure.objects.exists()

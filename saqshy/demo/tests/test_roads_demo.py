"""The demo's road network: the bundled highways with M-36 named; a second run adds nothing."""

from __future__ import annotations

import pytest

from saqshy.demo import loader
from saqshy.demo.roads import load_roads
from saqshy.roads.models import Segment

pytestmark = pytest.mark.django_db


def test_load_roads_is_idempotent() -> None:
    loader.load_regions()
    loader.load_districts()
    said: list[str] = []
    assert load_roads(say=said.append) == 1355
    assert "1355 segments" in said[0] and "1355 new" in said[0]
    named = Segment.objects.filter(number="M-36").count()
    assert named >= 10
    stamps = dict(Segment.objects.values_list("pk", "updated_at"))
    assert load_roads(say=said.append) == 1355
    assert "0 new; 0 segments named" in said[1]
    assert Segment.objects.count() == 1355
    assert dict(Segment.objects.values_list("pk", "updated_at")) == stamps

"""The production set-up of docs/deployment.md, step by step, with no demo: migrate, load the
regions, create a superuser, import OpenStreetMap. It runs in both CI passes; in the
PostgreSQL pass (DATABASE_URL=postgres://...) it must really run on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
from io import StringIO
from pathlib import Path
from typing import Any

import osmium
import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection
from osmium.osm.mutable import Node, Way

from saqshy.accounts.models import District, Region, User
from saqshy.demo.people import USERS
from saqshy.facilities.models import Facility
from saqshy.prevention.models import Campaign
from saqshy.prevention.queries import progress

pytestmark = pytest.mark.django_db(transaction=True)


def astana_pbf(path: Path) -> Path:
    """Two schools in Astana (one in Esil, one in Saryarka district) and a street."""
    with osmium.SimpleWriter(str(path)) as writer:
        esil = {"amenity": "school", "name": "School by the Baiterek"}
        writer.add_node(Node(id=1, location=(71.4305, 51.1283), tags=esil))
        saryarka = {"amenity": "school", "name": "School by the railway station"}
        writer.add_node(Node(id=2, location=(71.4095, 51.1957), tags=saryarka))
        writer.add_node(Node(id=3, location=(71.40, 51.16), tags={}))
        writer.add_node(Node(id=4, location=(71.45, 51.16), tags={}))
        writer.add_way(Way(id=10, nodes=[3, 4], tags={"highway": "primary"}))
    return path


def manage(*args: str, **options: Any) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_the_documented_production_sequence_works_without_the_demo(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert connection.vendor == "postgresql"
    settings.VAR_DIR = tmp_path
    manage("migrate", "--noinput", verbosity=0)
    assert "regions: 20 created" in manage("load_regions")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-production-password")
    manage("createsuperuser", "--noinput", username="chief", email="chief@example.kz")
    output = manage("import_osm", str(astana_pbf(tmp_path / "astana.osm.pbf")), region="astana",
                    no_progress=True)  # fmt: skip
    assert "astana: 2 created" in output

    assert authenticate(username="chief", password="a-long-production-password") is not None
    assert not User.objects.filter(username__in=[u.username for u in USERS]).exists()
    assert (Region.objects.count(), District.objects.count()) == (20, 224)
    districts = dict(Facility.objects.values_list("name", "district__slug"))
    assert districts == {
        "School by the Baiterek": "esil",
        "School by the railway station": "saryarka",
    }
    campaign = Campaign.objects.create(
        name="Schools", region=Region.objects.get(slug="astana"), facility_kinds=["school"],
        starts_on=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 20),
    )  # fmt: skip
    _total, by_district = progress(campaign, dt.date(2026, 12, 1))
    assert sorted((p.group, p.planned) for p in by_district) == [("Esil", 1), ("Saryarka", 1)]


def test_load_demo_refuses_when_debug_is_off(settings: Any) -> None:
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"looks like production.*load_regions"):
        manage("load_demo")
    assert not Region.objects.exists() and not User.objects.exists()

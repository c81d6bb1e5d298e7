"""A new region from a GeoJSON file, and its OpenStreetMap import, entirely through the admin:
no shell and no demo. Also: a region without a boundary is refused, by the admin and by
``import_osm``, naming the fix."""

from __future__ import annotations

import json
import time
from io import StringIO
from pathlib import Path
from typing import Any

import osmium
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from osmium.osm.mutable import Node, Way

from saqshy.accounts.models import Region, User
from saqshy.algorithms.basemap import lonlat_to_tile
from saqshy.core.audit_models import AuditEntry
from saqshy.facilities.models import Facility, OsmImport

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HELSINKI = {
    "type": "Feature",
    "properties": {"name": "Helsinki"},
    "geometry": {
        "type": "Polygon",
        "coordinates": [
            [[24.78, 60.10], [25.25, 60.10], [25.25, 60.30], [24.78, 60.30], [24.78, 60.10]]
        ],
    },
}


def helsinki_pbf(path: Path) -> Path:
    """A school and a fire station in central Helsinki, a hospital in Espoo (outside the
    boundary), and a street."""
    with osmium.SimpleWriter(str(path)) as writer:
        school = {"amenity": "school", "name": "Kallion lukio"}
        writer.add_node(Node(id=1, location=(24.950, 60.184), tags=school))
        station = {"amenity": "fire_station", "name": "Keskuspaloasema"}
        writer.add_node(Node(id=2, location=(24.944, 60.170), tags=station))
        writer.add_node(Node(id=3, location=(24.65, 60.21), tags={"amenity": "hospital"}))
        writer.add_node(Node(id=4, location=(24.940, 60.168), tags={}))
        writer.add_node(Node(id=5, location=(24.950, 60.172), tags={}))
        street = {"highway": "primary", "name": "Mannerheimintie"}
        writer.add_way(Way(id=10, nodes=[4, 5], tags=street))
    return path


@pytest.fixture()
def admin_client(settings: Any, tmp_path: Path) -> Client:
    settings.VAR_DIR = tmp_path
    settings.TASKS = IMMEDIATE
    client = Client()
    client.force_login(User.objects.create_superuser(username="root", password="pw-root"))
    return client


def add_region(client: Client, **boundary: Any) -> Any:
    return client.post(
        reverse("admin:accounts_region_add"),
        {
            "iso_code": "FI-18",
            "slug": "helsinki",
            "kind": "city",
            "name_en": "Helsinki",
            "name_ru": "Хельсинки",
            "name_kk": "Хельсинки",
            "boundary_text": "",
            **boundary,
        },
    )


def test_a_helsinki_like_region_is_added_and_imported_through_the_admin(
    admin_client: Client, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    upload = SimpleUploadedFile("helsinki.geojson", json.dumps(HELSINKI).encode())
    response = add_region(admin_client, boundary_file=upload)
    assert response.status_code == 302, response.content[:2000]
    region = Region.objects.get(slug="helsinki")
    assert region.boundary == HELSINKI["geometry"]
    assert region.bbox == [24.78, 60.1, 25.25, 60.3]
    page = admin_client.get(reverse("admin:accounts_region_change", args=[region.pk]))
    assert b"<svg" in page.content and b"Polygon" in page.content

    pbf = helsinki_pbf(tmp_path / "helsinki.osm.pbf")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:facilities_osmimport_add"),
            {"region": region.pk, "osm_file": SimpleUploadedFile(pbf.name, pbf.read_bytes())},
        )
    job = OsmImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:facilities_osmimport_change", args=[job.pk])
    assert (job.status, job.progress) == ("done", 100), job.message
    assert job.result["created"] == 2 and job.result["outside_region"] == 1
    assert job.requested_by.username == "root"
    assert sorted(Facility.objects.filter(region=region).values_list("kind", flat=True)) == [
        "fire_station",
        "school",
    ]
    assert not Path(job.stored_path).exists(), "the uploaded file is removed after the import"
    assert (tmp_path / "basemap" / "helsinki.geojson.gz").exists()
    page = admin_client.get(reverse("admin:facilities_osmimport_change", args=[job.pk]))
    assert b'<progress value="100"' in page.content
    assert b"http-equiv" not in page.content, "a finished import stops refreshing"
    assert AuditEntry.objects.filter(object_type="facilities.facility").count() == 2

    x, y = lonlat_to_tile(24.944, 60.170, 13)
    for _ in range(100):  # the first request has the region's tile archive written
        tile = admin_client.get(f"/tiles/13/{x}/{y}.mvt")
        if tile.status_code != 204:
            break
        time.sleep(0.1)
    assert tile.status_code == 200
    assert tile["Content-Type"] == "application/vnd.mapbox-vector-tile"


def test_a_queued_import_page_refreshes_itself(admin_client: Client, tmp_path: Path) -> None:
    add_region(admin_client, boundary_text=json.dumps(HELSINKI["geometry"]))
    pbf = helsinki_pbf(tmp_path / "helsinki.osm.pbf")
    admin_client.post(
        reverse("admin:facilities_osmimport_add"),
        {
            "region": Region.objects.get().pk,
            "osm_file": SimpleUploadedFile(pbf.name, pbf.read_bytes()),
        },
    )  # no on-commit callbacks in this test's transaction: the import stays queued
    job = OsmImport.objects.get()
    assert job.status == "queued" and Path(job.stored_path).exists()
    page = admin_client.get(reverse("admin:facilities_osmimport_change", args=[job.pk]))
    assert b'http-equiv="refresh"' in page.content


def test_a_bad_pasted_boundary_is_refused_and_nothing_saved(admin_client: Client) -> None:
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    response = add_region(admin_client, boundary_text=json.dumps(bowtie))
    assert response.status_code == 200
    assert "not a valid shape" in response.content.decode()
    response = add_region(admin_client, boundary_text="{oops")
    assert "Not GeoJSON" in response.content.decode()
    assert not Region.objects.exists()


def test_a_region_without_a_boundary_is_refused_naming_the_fix(
    admin_client: Client, tmp_path: Path
) -> None:
    add_region(admin_client)
    region = Region.objects.get(slug="helsinki")
    assert region.boundary is None
    pbf = helsinki_pbf(tmp_path / "helsinki.osm.pbf")
    response = admin_client.post(
        reverse("admin:facilities_osmimport_add"),
        {"region": region.pk, "osm_file": SimpleUploadedFile(pbf.name, pbf.read_bytes())},
    )
    assert response.status_code == 200
    assert "has no boundary" in response.content.decode()
    assert not OsmImport.objects.exists()

    with pytest.raises(CommandError, match=r"helsinki has no boundary.*load_regions"):
        call_command("import_osm", str(pbf), region="helsinki", no_progress=True, stdout=StringIO())
    assert not Facility.objects.exists()
    assert not (tmp_path / "basemap").exists()

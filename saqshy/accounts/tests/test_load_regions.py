"""``load_regions`` / ``load_districts``: the shipped Kazakhstan files by default, any country's
GeoJSON with its own property names, all or nothing with every bad feature named."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saqshy.accounts.models import District, Region
from saqshy.accounts.queries import district_locator
from saqshy.core.audit_models import AuditEntry

pytestmark = pytest.mark.django_db

HELSINKI = [[24.78, 60.10], [25.25, 60.10], [25.25, 60.30], [24.78, 60.30], [24.78, 60.10]]
BOWTIE = [[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]


def feature(ring: list[list[float]], **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": props,
    }


def write(tmp_path: Path, *features: dict[str, Any], name: str = "in.geojson") -> str:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return str(path)


def run(*args: str, **options: Any) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_with_no_file_the_shipped_regions_and_districts_load_once() -> None:
    assert "regions: 20 created" in run("load_regions")
    assert Region.objects.count() == 20
    assert District.objects.count() == 224
    astana = Region.objects.get(slug="astana")
    assert sorted(astana.districts.values_list("slug", flat=True)) == [
        "almaty", "baykonyr", "esil", "nura", "saryarka"
    ]  # fmt: skip
    assert District.objects.filter(region__slug="kostanay", slug="kostanay-city").exists()
    assert District.objects.exclude(boundary=None).count() == 224
    esil = astana.districts.get(slug="esil")
    assert esil.name_ru == "Есильский" and esil.name_kk == "Есіл"
    # The Baiterek tower stands in Esil district.
    assert district_locator(astana.pk)(51.1283, 71.4305) == esil.pk

    entries = AuditEntry.objects.count()
    assert "regions: 0 created, 0 updated" in run("load_regions")
    assert "districts: 0 created, 0 updated" in run("load_districts")
    assert AuditEntry.objects.count() == entries


def test_any_countrys_file_with_its_own_property_names(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        feature(HELSINKI, shapeName="Helsinki", shapeISO="FI-HEL", nimi="Хельсинки", tyyppi="city"),
    )
    run(
        "load_regions", path, "--name", "en=shapeName", "--name", "ru=nimi",
        "--code-property", "shapeISO", "--kind-property", "tyyppi",
    )  # fmt: skip
    region = Region.objects.get(iso_code="FI-HEL")
    assert (region.slug, region.kind, region.name_en) == ("helsinki", "city", "Helsinki")
    assert region.name_ru == "Хельсинки" and region.name_kk == "Helsinki"  # falls back to English
    assert region.bbox == [24.78, 60.1, 25.25, 60.3]
    assert region.centre_lat is not None and 60.1 < region.centre_lat < 60.3

    kallio = [[24.93, 60.17], [24.97, 60.17], [24.97, 60.20], [24.93, 60.20], [24.93, 60.17]]
    districts = write(tmp_path, feature(kallio, nimi_en="Kallio"), name="d.geojson")
    run("load_districts", districts, "--name", "en=nimi_en", "--region", "helsinki")
    assert region.districts.get().slug == "kallio"


def test_bad_features_are_all_named_and_nothing_is_written(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        feature(HELSINKI, name_en="Helsinki", iso_code="FI-HEL"),
        feature(BOWTIE, name_en="Twisted", iso_code="XX-1"),
        feature(HELSINKI, iso_code="XX-2"),
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]},
         "properties": {"name_en": "Dot", "iso_code": "XX-3"}},
    )  # fmt: skip
    with pytest.raises(CommandError) as error:
        run("load_regions", path)
    message = str(error.value)
    assert "nothing loaded" in message
    assert "feature 2 (Twisted): not a valid shape (Self-intersection" in message
    assert "feature 3: no name in property name_en" in message
    assert "feature 4 (Dot): expected a Polygon or MultiPolygon geometry, got Point" in message
    assert "Helsinki" not in message
    assert not Region.objects.exists()


def test_districts_of_an_unknown_region_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, feature(HELSINKI, name_en="Kallio", region="FI-HEL"))
    with pytest.raises(CommandError, match="No region with the code or slug FI-HEL"):
        run("load_districts", path)
    assert not District.objects.exists()


def test_unreadable_file_and_bad_name_option_are_command_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json")
    with pytest.raises(CommandError, match=r"broken\.geojson: not GeoJSON"):
        run("load_regions", str(broken))
    with pytest.raises(CommandError, match="LANG=PROPERTY"):
        run("load_regions", str(broken), "--name", "fi=nimi")

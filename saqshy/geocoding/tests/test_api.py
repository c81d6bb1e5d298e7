"""``/api/geocode/search`` and ``/api/geocode/reverse`` on the committed Astana bundle."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from saqshy.core.testing.personas import Personas, make_personas
from saqshy.facilities.models import Facility
from saqshy.geocoding import loader
from saqshy.geocoding.queries import describe_point

pytestmark = pytest.mark.django_db

NU = (51.0905, 71.3987)
"""Inside the building "проспект Кабанбай Батыра, 53" (Nazarbayev University)."""


@pytest.fixture
def people(settings, tmp_path) -> Personas:
    settings.VAR_DIR = tmp_path  # only the committed bundle, no imported basemap
    return make_personas()


def client_for(username: str, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.login(username=username, password=f"pw-{username}")
    return client


def test_search_kabanbay_53(people: Personas) -> None:
    answer = client_for("dispatcher_astana").get(
        reverse("api:geocode-search"), {"q": "Kabanbay 53"}
    )
    assert answer.status_code == 200
    results = answer.json()["results"]
    best = results[0]
    assert best["label"] == "Kabanbay Batyr Avenue 53"
    assert best["kind"] == "address" and best["region"] == "astana"
    assert abs(best["lat"] - NU[0]) < 0.002 and abs(best["lon"] - NU[1]) < 0.002
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    assert set(results[0]) == {"label", "lat", "lon", "kind", "score", "region"}


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("ru", "проспект Кабанбай Батыра, 53"),
        ("kk", None),  # the avenue has no name:kk in the bundle: the local name
        ("en", "Kabanbay Batyr Avenue 53"),
    ],
)
def test_labels_in_the_readers_language(people: Personas, language: str, label: str) -> None:
    client = client_for("dispatcher_astana")
    client.cookies["django_language"] = language
    answer = client.get(
        reverse("api:geocode-search"), {"q": "Қабанбай батыр 53"}, HTTP_ACCEPT_LANGUAGE=language
    )
    expected = label or "проспект Кабанбай Батыра, 53"
    assert answer.json()["results"][0]["label"] == expected


def test_search_finds_a_facility_by_name(people: Personas) -> None:
    Facility.objects.create(
        kind="school", name="Школа-лицей № 77", name_en="School-lyceum 77", lat=51.15, lon=71.45,
        region=people.astana,
    )  # fmt: skip
    results = (
        client_for("dispatcher_astana")
        .get(reverse("api:geocode-search"), {"q": "школа лицей 77", "limit": 3})
        .json()["results"]
    )
    assert results[0]["kind"] == "facility" and results[0]["label"] == "School-lyceum 77"
    assert len(results) <= 3


def test_reverse(people: Personas) -> None:
    answer = client_for("dispatcher_astana", "ru").get(
        reverse("api:geocode-reverse"), {"lat": NU[0], "lon": NU[1]}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["kind"] == "address" and body["housenumber"] == "53"
    assert body["street"] == "проспект Кабанбай Батыра"
    assert body["label"] == "проспект Кабанбай Батыра, 53"
    assert body["distance_m"] == 0 and body["region"] == "astana"
    nothing = client_for("dispatcher_astana").get(
        reverse("api:geocode-reverse"), {"lat": 51.33, "lon": 71.72}
    )
    assert nothing.status_code == 404 and "No address" in nothing.json()["detail"]


def test_bad_input_names_the_field(people: Personas) -> None:
    client = client_for("dispatcher_astana")
    search, back = reverse("api:geocode-search"), reverse("api:geocode-reverse")
    assert "q" in client.get(search).json()
    assert "q" in client.get(search, {"q": "   "}).json()
    assert "limit" in client.get(search, {"q": "a", "limit": "0"}).json()
    assert "limit" in client.get(search, {"q": "a", "limit": "many"}).json()
    assert "region" in client.get(search, {"q": "a", "region": "atlantis"}).json()
    assert client.get(back, {"lat": "north", "lon": 71}).status_code == 400
    assert "lat" in client.get(back, {"lat": "north", "lon": 71}).json()
    assert "lon" in client.get(back, {"lat": 51}).json()
    assert "lat" in client.get(back, {"lat": 95, "lon": 71}).json()


def test_anonymous_is_refused(people: Personas) -> None:
    assert Client().get(reverse("api:geocode-search"), {"q": "Kabanbay 53"}).status_code in (
        401,
        403,
    )
    assert Client().get(
        reverse("api:geocode-reverse"), {"lat": NU[0], "lon": NU[1]}
    ).status_code in (
        401,
        403,
    )


def test_scope_follows_the_grants(people: Personas) -> None:
    """Shymkent's viewer finds nothing in Astana, and may not ask for it by name; a user with
    no grant finds nothing; a national grant reaches every region."""
    search, back = reverse("api:geocode-search"), reverse("api:geocode-reverse")
    other = client_for("viewer_other_region")
    assert other.get(search, {"q": "Kabanbay 53"}).json()["results"] == []
    assert other.get(search, {"q": "Kabanbay 53", "region": "astana"}).status_code == 403
    assert other.get(back, {"lat": NU[0], "lon": NU[1]}).status_code == 404
    assert client_for("no_grants").get(search, {"q": "Kabanbay 53"}).json()["results"] == []
    national = client_for("analyst_national")
    assert national.get(search, {"q": "Kabanbay 53"}).json()["results"][0]["region"] == "astana"
    assert national.get(back, {"lat": NU[0], "lon": NU[1]}).status_code == 200
    # Almaty's planner may narrow to Almaty and finds no Astana address there.
    almaty = client_for("planner_almaty").get(search, {"q": "Kabanbay 53", "region": "almaty"})
    assert all(r["region"] == "almaty" for r in almaty.json()["results"])


def test_describe_point(people: Personas) -> None:
    with translation.override("ru"):
        assert describe_point(*NU) == "проспект Кабанбай Батыра, 53"
        near = describe_point(51.12815, 71.43010)
        assert near.startswith("улица ") and "~" in near and near.endswith(" м")
        assert describe_point(51.33, 71.72) == ""
    with translation.override("en"):
        assert describe_point(*NU) == "Kabanbay Batyr Avenue 53"


def test_an_imported_basemap_replaces_the_committed_one(people: Personas, settings) -> None:
    import gzip
    import json

    folder = settings.VAR_DIR / "basemap"
    folder.mkdir()
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [71.5, 51.2]},
        "properties": {"layer": "address", "street": "улица Новая", "housenumber": "1"},
    }
    with gzip.open(folder / "astana.geojson.gz", "wt") as handle:
        json.dump({"type": "FeatureCollection", "features": [feature]}, handle)
    loader.clear()
    client = client_for("dispatcher_astana")
    assert (
        client.get(reverse("api:geocode-search"), {"q": "Новая 1"}).json()["results"][0]["label"]
        == "улица Новая, 1"
    )
    assert client.get(reverse("api:geocode-search"), {"q": "Kabanbay 53"}).json()["results"] == []
    loader.clear()

"""The pure geocoder: one spelling for kk/ru/Latin, query parsing, ranking, reverse."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from saqshy.algorithms.basemap.tilemath import iter_geojson_features
from saqshy.algorithms.geocode import (
    AddressRecord,
    Names,
    PlaceRecord,
    RegionIndex,
    StreetRecord,
    house_key,
    key,
    parse_query,
    records_from_features,
    split_street,
    transliterate,
)
from saqshy.algorithms.geocode.index import LocalProjection
from saqshy.algorithms.geocode.normalise import CYRILLIC, fold_word

BUNDLE = Path(__file__).resolve().parents[3] / "data" / "basemap" / "astana.geojson.gz"

letters = st.text(
    alphabet=st.sampled_from(sorted(set(CYRILLIC) | set("abcdefghijklmnopqrstuvwxyz0123 -./,"))),
    max_size=30,
)


# --- normalisation ------------------------------------------------------------------------


def test_kazakh_russian_and_latin_spellings_meet() -> None:
    assert key("Кабанбай") == key("Kabanbay") == key("Qabanbai") == key("Қабанбай")
    assert key("Жибек жолы") == key("Zhibek Zholy") == key("Jibek Joly")
    assert key("Сарыарқа") == key("Saryarka") == key("Sary-Arka").replace(" ", "")
    assert key("Мәңгілік Ел") == key("Mangilik El") == key("Mäñgilik El")
    assert key("Шоқан Уәлиханов") == key("Shokan Ualikhanov") == key("Şoqan Uälihanov")
    assert key("ёлка") == key("елка")


def test_street_types_in_three_languages() -> None:
    for text in ("проспект Абая", "пр. Абая", "просп. Абая", "пр-т Абая", "Абай даңғылы",
                 "Abay Avenue", "Abay ave"):  # fmt: skip
        assert split_street(text)[1] == "avenue", text
    for text in ("улица Кенесары", "ул. Кенесары", "Кенесары көшесі", "Kenesary Street",
                 "Kenesary st"):  # fmt: skip
        assert split_street(text)[1] == "street", text
    assert split_street("переулок Кызылкол")[1] == "lane"
    assert split_street("проспект Кабанбай батыра")[0] == "kabanbai batira"


def test_house_numbers() -> None:
    assert house_key("53") == "53"
    assert house_key("53А") == house_key("53 а") == house_key("53-a") == "53a"
    assert house_key("53/1") == "53/1"
    assert house_key("дом 5 корпус 2") == "5/2"
    assert parse_query("Kabanbay 53") == parse_query("Kabanbay, 53")
    parsed = parse_query("ул. Кенесары, 40/1")
    assert (parsed.name, parsed.house, parsed.street_type) == ("kenesari", "40/1", "street")
    assert parse_query("пр Абая 10 а").house == "10a"
    # A number with no name left beside it is the name ("10 мкр" is a microdistrict).
    assert parse_query("10 мкр").house == ""
    assert parse_query("ул. 40 лет Победы 3").name == "40 let pobedi"


@given(letters)
def test_key_is_idempotent(text: str) -> None:
    once = key(text)
    assert key(once) == once


@given(letters)
def test_key_is_latin(text: str) -> None:
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789 " for c in key(text))


@given(st.text(alphabet=sorted(CYRILLIC), min_size=1, max_size=20))
def test_cyrillic_and_its_transliteration_have_one_key(word: str) -> None:
    """Transliterating first (as a reader writing the name in Latin would) changes nothing."""
    assert key(transliterate(word)) == key(word)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=20))
def test_fold_reaches_a_fixed_point(word: str) -> None:
    assert fold_word(fold_word(word)) == fold_word(word)


# --- a small synthetic city ---------------------------------------------------------------

KABANBAY = Names(
    "проспект Кабанбай Батыра", kk="Қабанбай батыр даңғылы", en="Kabanbay Batyr Avenue"
)


def small_index() -> RegionIndex:
    streets = [
        StreetRecord(KABANBAY, ((71.40, 51.09), (71.41, 51.09))),
        StreetRecord(Names("проспект Богенбай батыра"), ((71.40, 51.10), (71.41, 51.10))),
        StreetRecord(Names("улица Кенесары"), ((71.40, 51.11), (71.41, 51.11))),
    ]
    addresses = [
        AddressRecord(
            "проспект Кабанбай Батыра",
            "53",
            71.4005,
            51.0903,
            box(71.4002, 51.0901, 71.4008, 51.0905),
        ),
        AddressRecord("проспект Кабанбай Батыра", "53/1", 71.4025, 51.0903),
        AddressRecord("проспект Богенбай батыра", "53", 71.4005, 51.1003),
        AddressRecord("улица Кенесары", "40", 71.4005, 51.1103),
    ]
    places = [PlaceRecord(Names("Есиль", en="Yesil"), 71.43, 51.12, "place")]
    return RegionIndex.build("astana", streets, addresses, places)


def test_kabanbay_53_finds_the_avenue_house_first() -> None:
    index = small_index()
    for query in ("Kabanbay 53", "Қабанбай батыр 53", "пр. Кабанбай батыра, 53",
                  "kabanbai batyr ave 53"):  # fmt: skip
        best = index.search(query, "ru")[0]
        assert best.kind == "address", query
        assert best.label == "проспект Кабанбай Батыра, 53", query
        assert (best.lat, best.lon) == (51.0903, 71.4005)
    english = index.search("Kabanbay 53", "en")[0]
    assert english.label == "Kabanbay Batyr Avenue 53"
    assert index.search("Kabanbay 53", "kk")[0].label == "Қабанбай батыр даңғылы, 53"


def test_ranking() -> None:
    index = small_index()
    hits = index.search("Kabanbay 53", "ru")
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)
    # An exact house number beats its neighbour 53/1, which still comes before the street.
    kinds = [(h.kind, h.label) for h in hits]
    assert kinds.index(("address", "проспект Кабанбай Батыра, 53")) < kinds.index(
        ("street", "проспект Кабанбай Батыра")
    )
    # A number the street lacks: its "53x" relatives, then the street itself.
    relatives = index.search("Кабанбай 53/7", "ru")
    assert relatives[0].label in {"проспект Кабанбай Батыра, 53", "проспект Кабанбай Батыра, 53/1"}
    no_number = index.search("Kenesary", "ru")
    assert no_number[0].kind == "street" and no_number[0].label == "улица Кенесары"
    assert index.search("Yesil", "en")[0].kind == "place"
    assert index.search("zzzzqqq", "ru") == []
    assert len(index.search("проспект", "ru", limit=1)) <= 1


def test_reverse_inside_a_building_and_near_a_street() -> None:
    index = small_index()
    inside = index.reverse(51.0904, 71.4007, "ru")
    assert inside is not None and inside.kind == "address" and inside.distance_m == 0
    assert inside.housenumber == "53" and inside.street == "проспект Кабанбай Батыра"
    near_street = index.reverse(51.0915, 71.4090, "en")  # ~170 m north of the avenue
    assert near_street is not None and near_street.kind == "street"
    assert near_street.label == "Kabanbay Batyr Avenue"
    assert 150 < near_street.distance_m < 190
    assert index.reverse(50.0, 70.0, "ru") is None


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 0.004), st.floats(0, 0.004)), min_size=1, max_size=30, unique=True
    ),
    st.tuples(st.floats(0, 0.004), st.floats(0, 0.004)),
)
def test_reverse_returns_the_nearest_address(offsets, probe) -> None:
    """Among address points, reverse names the nearest one (by the same local metres)."""
    lat0, lon0 = 51.1, 71.4
    addresses = [
        AddressRecord("улица Тест", str(n + 1), lon0 + dx, lat0 + dy)
        for n, (dx, dy) in enumerate(offsets)
    ]
    index = RegionIndex.build("astana", addresses=addresses)
    lat, lon = lat0 + probe[1], lon0 + probe[0]
    hit = index.reverse(lat, lon, "ru")
    projection = LocalProjection(index.projection.lat0)
    px, py = projection.xy(lon, lat)
    distances = []
    for a in addresses:
        ax, ay = projection.xy(a.lon, a.lat)
        distances.append(math.hypot(ax - px, ay - py))
    nearest = min(distances)
    if nearest > 40.0:
        assert hit is None or hit.kind != "address"
    else:
        assert hit is not None and hit.kind == "address"
        assert hit.distance_m == pytest.approx(nearest, abs=0.1)
        assert distances[int(hit.housenumber) - 1] == pytest.approx(nearest, abs=0.1)


# --- the committed bundle -----------------------------------------------------------------


@pytest.fixture(scope="module")
def astana() -> RegionIndex:
    records = records_from_features(iter_geojson_features([BUNDLE]))
    assert len(records.addresses) > 20_000, "the bundle carries Astana's addressed buildings"
    return RegionIndex.build("astana", records.streets, records.addresses, records.places)


def test_real_astana(astana: RegionIndex) -> None:
    best = astana.search("Kabanbay 53", "en")[0]
    assert best.label == "Kabanbay Batyr Avenue 53" and best.kind == "address"
    assert abs(best.lat - 51.0905) < 0.003 and abs(best.lon - 71.3988) < 0.005
    back = astana.reverse(best.lat, best.lon, "ru")
    assert back is not None and back.street == "проспект Кабанбай Батыра"
    assert astana.search("Kenesary 40", "ru")[0].label == "улица Кенесары, 40"


def test_labels() -> None:
    from saqshy.algorithms.geocode import address_label

    assert address_label("Kabanbay Batyr Avenue", "53", "en") == "Kabanbay Batyr Avenue 53"
    assert address_label("улица Кенесары", "40", "en") == "улица Кенесары, 40"
    assert address_label("проспект Кабанбай Батыра", "53", "ru") == "проспект Кабанбай Батыра, 53"
    assert address_label("Қабанбай батыр даңғылы", "53", "kk") == "Қабанбай батыр даңғылы, 53"
    assert address_label("улица Кенесары", "", "ru") == "улица Кенесары"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["kk", "ru", "en", "de"]), st.integers(-3, 60))
def test_search_takes_any_text(text: str, language: str, limit: int) -> None:
    """Whatever is typed, the search answers a ranked list within the limit (never raises)."""
    hits = _SMALL.search(text, language, limit)
    assert len(hits) <= max(0, limit)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


_SMALL = small_index()

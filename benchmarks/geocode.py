"""The offline geocoder on Astana's addressed buildings, with a tenth held out of the index.

Reads the committed bundle (``data/basemap/astana.geojson.gz``), holds out a random tenth of
the addressed *buildings* (fixed seed) and builds the index from everything else (streets,
the other buildings, address and place points). Then, for each held-out building:

* reverse: the address of its centre. Counts how often the answer names the building's
  street (normalised names equal) and its house number as well, and what kind it was;
* forward: a search for its address, typed two ways: as tagged ("проспект Кабанбай Батыра
  53") and as a Latin-typing operator would ("Kabanbay Batyra 53": the name without its
  street-type word in a BGN-like transliteration the geocoder's own key does not use). The
  distance from the top result to the building's centre, median and 90th percentile;
* the search time per query.

A row for 1,000 buildings that are in the index shows the same measures when the building
itself can be found. Pure Python, no Django, no database. Prints a Markdown table.

Usage: ``.venv/bin/python benchmarks/geocode.py [--seed 10] [--share 0.1]``
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from saqshy.algorithms.basemap.tilemath import iter_geojson_features  # noqa: E402
from saqshy.algorithms.geocode import (  # noqa: E402
    AddressRecord,
    RegionIndex,
    house_key,
    records_from_features,
    split_street,
)
from saqshy.algorithms.geocode.normalise import street_type  # noqa: E402

BUNDLE = ROOT / "data" / "basemap" / "astana.geojson.gz"

BGN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ә": "ä", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "ö", "ұ": "u", "ү": "ü",
    "һ": "h", "і": "i",
}  # fmt: skip
"""A BGN/PCGN-like romanisation (with Kazakh letters as on Latin signs), not the geocoder's."""


def latin_query(street: str, number: str) -> str:
    """The street's name without its type word, romanised, capitalised, then the number."""
    words = []
    for word in street.split():
        if street_type(split_street(word)[0]) is not None:
            continue
        latin = "".join(BGN.get(c, BGN.get(c.lower(), c)) for c in word)
        words.append(latin[:1].upper() + latin[1:])
    return " ".join(words) + f" {number}"


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def same_street(a: str, b: str) -> bool:
    return split_street(a)[0] == split_street(b)[0]


def measure(index: RegionIndex, buildings: list[AddressRecord]) -> dict[str, float]:
    street_ok = house_ok = kinds_address = kinds_street = kinds_none = 0
    forward: dict[str, list[float]] = {"as tagged": [], "Latin": []}
    found_street: dict[str, int] = {"as tagged": 0, "Latin": 0}
    timings: list[float] = []
    for building in buildings:
        hit = index.reverse(building.lat, building.lon, "ru")
        if hit is None:
            kinds_none += 1
        else:
            kinds_address += hit.kind == "address"
            kinds_street += hit.kind == "street"
            if hit.street and same_street(hit.street, building.street):
                street_ok += 1
                if hit.kind == "address" and house_key(hit.housenumber) == house_key(
                    building.housenumber
                ):
                    house_ok += 1
        queries = {
            "as tagged": f"{building.street} {building.housenumber}",
            "Latin": latin_query(building.street, building.housenumber),
        }
        for name, query in queries.items():
            started = time.perf_counter()
            hits = index.search(query, "ru", limit=5)
            timings.append(time.perf_counter() - started)
            if hits:
                top = hits[0]
                forward[name].append(metres(top.lat, top.lon, building.lat, building.lon))
                found_street[name] += bool(top.street) and same_street(top.street, building.street)
            else:
                forward[name].append(math.inf)
    n = len(buildings)
    out = {
        "n": n,
        "reverse street %": 100 * street_ok / n,
        "reverse street+number %": 100 * house_ok / n,
        "reverse kind address %": 100 * kinds_address / n,
        "reverse kind street %": 100 * kinds_street / n,
        "reverse nothing %": 100 * kinds_none / n,
        "search ms median": 1000 * statistics.median(timings),
        "search ms p90": 1000 * percentile(timings, 0.9),
    }
    for name, distances in forward.items():
        out[f"forward {name} median m"] = statistics.median(distances)
        out[f"forward {name} p90 m"] = percentile(distances, 0.9)
        out[f"forward {name} within 100 m %"] = 100 * sum(d <= 100 for d in distances) / n
        out[f"forward {name} right street %"] = 100 * found_street[name] / n
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--share", type=float, default=0.1)
    options = parser.parse_args()
    started = time.perf_counter()
    records = records_from_features(iter_geojson_features([BUNDLE]))
    buildings = [a for a in records.addresses if a.footprint is not None]
    points = [a for a in records.addresses if a.footprint is None]
    rng = random.Random(options.seed)
    count = round(options.share * len(buildings))
    held_out_positions = set(rng.sample(range(len(buildings)), count))
    held_out = [b for i, b in enumerate(buildings) if i in held_out_positions]
    kept = [b for i, b in enumerate(buildings) if i not in held_out_positions]
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    index = RegionIndex.build("astana", records.streets, kept + points, records.places)
    build_s = time.perf_counter() - started

    def identity(b: AddressRecord) -> tuple[str, str]:
        return split_street(b.street)[0], house_key(b.housenumber)

    indexed_keys = {identity(b) for b in kept + points}
    twins = sum(identity(b) in indexed_keys for b in held_out)
    print(
        f"Astana bundle: {len(buildings)} addressed buildings, {len(points)} address points, "
        f"{len(records.streets)} named street lines, {len(records.places)} places; "
        f"held out {len(held_out)} buildings (seed {options.seed}), {twins} of them share their "
        f"street and number with a building still indexed. Read {read_s:.1f} s, "
        f"index built in {build_s:.1f} s."
    )
    in_index = random.Random(options.seed + 1).sample(kept, min(1000, len(kept)))
    rows = {"held out": measure(index, held_out), "in the index (1,000)": measure(index, in_index)}
    names = list(next(iter(rows.values())))
    print()
    print("| measure | " + " | ".join(rows) + " |")
    print("|---|" + "---:|" * len(rows))
    for name in names:
        cells = []
        for row in rows.values():
            value = row[name]
            cells.append(f"{value:.0f}" if name == "n" else f"{value:.1f}")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

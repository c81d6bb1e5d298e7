"""Benchmark the offline basemap: index build time and memory, then tile render times.

Usage: ``python benchmarks/basemap_tiles.py [path.geojson.gz] [--per-zoom N] [--scale S]``.
Without a path it uses ``data/basemap/astana.geojson.gz`` and exits with a message if that
file has not been produced yet.  Memory is reported as resident-set growth, because the
geometries and STRtrees live in GEOS's C heap, which tracemalloc cannot see.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from saqshy.algorithms.basemap import (
    BasemapIndex,
    lonlat_to_tile,
    mercator_to_lonlat,
    render_tile,
)
from saqshy.algorithms.basemap.render import empty_tile

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "basemap" / "astana.geojson.gz"
ZOOMS = range(11, 17)


def rss_mb() -> float:
    """Current resident set size in MiB (Linux /proc; 0 where unavailable)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def load_features(path: Path) -> list[dict[str, Any]]:
    """Features of a (gzip'ed) GeoJSON FeatureCollection."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    doc = json.loads(raw)
    features: list[dict[str, Any]] = doc.get("features") or []
    return features


def sample_tiles(
    index: BasemapIndex, z: int, per_zoom: int, rng: random.Random
) -> list[tuple[int, int]]:
    """Up to ``per_zoom`` distinct tiles at zoom ``z`` where the data is.

    Tiles are those under randomly chosen roads and buildings, so the sample follows where
    users actually look (a uniform sample of the extent would be mostly empty steppe, since
    the city boundary is much larger than the built-up area).
    """
    geoms = np.concatenate([index.roads.geoms, index.buildings.geoms])
    if len(geoms) == 0:
        return []
    points = shapely.get_coordinates(shapely.point_on_surface(geoms))
    tiles: set[tuple[int, int]] = set()
    for i in rng.sample(range(len(points)), min(len(points), 20 * per_zoom)):
        tiles.add(lonlat_to_tile(*mercator_to_lonlat(*points[i].tolist()), z))
        if len(tiles) >= per_zoom:
            break
    return sorted(tiles)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the results table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--per-zoom", type=int, default=60, help="tiles sampled per zoom")
    parser.add_argument("--scale", type=int, default=2, help="supersampling factor")
    args = parser.parse_args(argv)
    path: Path = args.path
    if not path.exists():
        print(f"skipped: {path} not found (produce the basemap extract first)")
        return 0

    rss_start = rss_mb()
    t0 = time.perf_counter()
    features = load_features(path)
    t1 = time.perf_counter()
    rss_loaded = rss_mb()
    index = BasemapIndex.from_features(features)
    t2 = time.perf_counter()
    rss_indexed = rss_mb()
    n_features = len(features)
    del features
    gc.collect()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"data: {path} ({path.stat().st_size / 1e6:.1f} MB, {n_features} features)")
    print("indexed: " + ", ".join(f"{k} {v}" for k, v in index.counts.items()))
    print(f"read + parse GeoJSON: {t1 - t0:.2f} s (RSS +{rss_loaded - rss_start:.0f} MiB)")
    print(f"index build:          {t2 - t1:.2f} s (RSS +{rss_indexed - rss_loaded:.0f} MiB)")
    print(f"RSS after build: {rss_mb():.0f} MiB (peak {peak:.0f} MiB)")
    print()

    rng = random.Random(20240601)
    empty = empty_tile(256)
    print(
        f"{'zoom':>4} {'tiles':>6} {'non-empty':>9} {'median ms':>10} {'p95 ms':>8} "
        f"{'max ms':>8} {'avg KB':>7}"
    )
    for z in ZOOMS:
        times: list[float] = []
        sizes: list[int] = []
        for x, y in sample_tiles(index, z, args.per_zoom, rng):
            start = time.perf_counter()
            png = render_tile(index, z, x, y, scale=args.scale)
            times.append((time.perf_counter() - start) * 1000)
            if png != empty:
                sizes.append(len(png))
        if not times:
            continue
        print(
            f"{z:>4} {len(times):>6} {len(sizes):>9} {statistics.median(times):>10.1f} "
            f"{float(np.percentile(times, 95)):>8.1f} {max(times):>8.1f} "
            f"{(statistics.mean(sizes) / 1024 if sizes else 0.0):>7.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

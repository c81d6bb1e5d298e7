"""Benchmark the offline basemap: vector tiles (now) against the Pillow raster tiles (before).

Usage::

    .venv/bin/python benchmarks/basemap_tiles.py [--region astana] [--old-ref REF] [--runs 7]

In one run it

1. encodes the region's bundle (``data/basemap/<region>.geojson.gz``, clipped to the region's
   box) into a PMTiles archive with the current code: build time, archive size, tiles;
2. checks out ``--old-ref`` (default: the parent of the commit that deleted the Pillow
   renderer) into a temporary ``git worktree`` and renders, with that old code and the same
   data file, the raster PNG tiles over a central box at display zooms 10-18, timing them;
3. prints, per display zoom, the bytes a browser downloads to show that box: the old PNG tiles
   at zoom z against the new vector tiles at data zoom min(z - 1, 15) (512-pixel data tiles;
   beyond data zoom 15 the browser over-zooms, downloading nothing more);
4. measures time to the first complete frame in headless Chromium (Playwright) on a bare
   Leaflet page (1280x800) served by a local static server: old = ``L.tileLayer`` over the
   pre-rendered PNGs (a warm tile cache: the best case of the old server), new =
   ``situation/basemap.js`` over the archive; "first frame" is Leaflet's ``load`` event of the
   basemap layer (every tile in view drawn; for the new layer, labels included and counted).
   Median of ``--runs`` runs, each in a fresh browser context (empty cache).
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pmtiles.reader import MmapSource, Reader  # noqa: E402

from saqshy.algorithms.basemap import (  # noqa: E402
    MAX_DATA_ZOOM,
    VectorBasemap,
    iter_geojson_features,
    lonlat_to_tile,
    write_pmtiles,
)

REGION_BOXES = {
    "astana": (71.20, 50.95, 71.75, 51.35),
    "almaty": (76.70, 43.05, 77.20, 43.45),
}
"""The demo regions' boxes (as saqshy.core.testing.geography and the demo load them)."""
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BOX = (71.40, 51.11, 71.46, 51.15)
"""Central Astana (the left bank's government quarter to the old town), 0.06 x 0.04 degrees."""
CENTRE = (51.128, 71.43)
VIEW = (1280, 800)
BYTE_ZOOMS = range(10, 19)
FRAME_ZOOMS = (12, 14, 16, 18)

OLD_RENDER = r"""
import json, sys, time
from pathlib import Path
from saqshy.algorithms.basemap import BasemapIndex, render_tile
data, out, tiles = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])
index = BasemapIndex.from_geojson_files([data])
times = {}
for z, x, y in tiles:
    start = time.perf_counter()
    png = render_tile(index, z, x, y)
    times.setdefault(z, []).append((time.perf_counter() - start) * 1000)
    target = out / str(z) / str(x) / f"{y}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(png)
print(json.dumps(times))
"""

HARNESS_HTML = (
    (
        """<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="stylesheet" href="/leaflet/leaflet.css">
<style>body{margin:0} #map{width:WIDTHpx;height:HEIGHTpx}</style></head>
<body><div id="map"></div>
<script src="/leaflet/leaflet.js"></script>
<script src="/protomaps/protomaps-leaflet.js"></script>
<script src="/basemap.js"></script>
<script src="/harness.js"></script></body></html>"""
    )
    .replace("WIDTH", str(VIEW[0]))
    .replace("HEIGHT", str(VIEW[1]))
)

HARNESS_JS = """
const params = new URLSearchParams(location.hash.slice(1));
document.documentElement.lang = params.get("lang") || "en";
const map = L.map("map", { zoomAnimation: false, fadeAnimation: false })
  .setView([+params.get("lat"), +params.get("lon")], +params.get("z"));
function done(labels) {
  window.__frame = { ms: performance.now(), labels };
}
if (params.get("mode") === "old") {
  L.tileLayer("/old/{z}/{x}/{y}.png", { maxZoom: 19 }).on("load", () => done(0)).addTo(map);
} else {
  const basemap = window.saqshyBasemap.create(map, {
    tilesUrl: "/new/{z}/{x}/{y}.mvt", tilesMaxDataZoom: 15, maxZoom: 19,
  });
  basemap.layer.once("load", () => done(basemap.labelCount()));
}
"""


def tiles_over(box: tuple[float, float, float, float], z: int) -> list[tuple[int, int, int]]:
    x0, y0 = lonlat_to_tile(box[0], box[3], z)
    x1, y1 = lonlat_to_tile(box[2], box[1], z)
    return [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def view_box(z: int) -> tuple[float, float, float, float]:
    """lon/lat box a little larger than the browser's view at display zoom ``z``."""
    import math

    lat, lon = CENTRE
    deg_x = (VIEW[0] + 512) / 256 * 360 / 2**z
    deg_y = deg_x * VIEW[1] / VIEW[0] * math.cos(math.radians(lat))
    return (lon - deg_x / 2, lat - deg_y / 2, lon + deg_x / 2, lat + deg_y / 2)


def old_ref() -> str:
    deleted = subprocess.run(
        [
            "git",
            "log",
            "-1",
            "--format=%H",
            "--diff-filter=D",
            "--",
            "saqshy/algorithms/basemap/render.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not deleted:
        raise SystemExit("no commit deletes the Pillow renderer: pass --old-ref")
    return f"{deleted}^"


def render_old(ref: str, data: Path, out: Path, tiles: list[tuple[int, int, int]]) -> Any:
    """Render ``tiles`` with the renderer at ``ref`` (a temporary git worktree)."""
    work = Path(tempfile.mkdtemp(prefix="saqshy-old-basemap-"))
    subprocess.run(
        ["git", "worktree", "add", "--detach", "-q", str(work), ref], cwd=ROOT, check=True
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", OLD_RENDER, str(data), str(out), json.dumps(tiles)],
            cwd=work,
            env={**os.environ, "PYTHONPATH": str(work)},
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(work)], cwd=ROOT, check=True)


@contextmanager
def static_server(old_dir: Path, archive: Path) -> Iterator[str]:
    with archive.open("rb") as handle:
        reader = Reader(MmapSource(handle))
        modules = ROOT / "node_modules"
        files = {
            "/leaflet/": modules / "leaflet" / "dist",
            "/protomaps/": modules / "protomaps-leaflet" / "dist",
        }

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def send(self, body: bytes, kind: str, **headers: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for key, value in headers.items():
                    self.send_header(key.replace("_", "-"), value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                path = self.path.split("?")[0].split("#")[0]
                if path == "/":
                    return self.send(HARNESS_HTML.encode(), "text/html")
                if path == "/harness.js":
                    return self.send(HARNESS_JS.encode(), "text/javascript")
                if path == "/basemap.js":
                    js = ROOT / "saqshy" / "situation" / "static" / "situation" / "basemap.js"
                    return self.send(js.read_bytes(), "text/javascript")
                for prefix, folder in files.items():
                    if path.startswith(prefix):
                        file = folder / path[len(prefix) :]
                        kind = "text/css" if file.suffix == ".css" else "text/javascript"
                        if file.suffix == ".png":
                            kind = "image/png"
                        if file.is_file():
                            return self.send(file.read_bytes(), kind)
                if path.startswith("/old/"):
                    file = old_dir / path[len("/old/") :]
                    if file.is_file():
                        return self.send(file.read_bytes(), "image/png")
                if path.startswith("/new/"):
                    z, x, y = (int(p) for p in path[len("/new/") :].removesuffix(".mvt").split("/"))
                    data = reader.get(z, x, y) if z <= MAX_DATA_ZOOM else None
                    if data:
                        return self.send(
                            data, "application/vnd.mapbox-vector-tile", Content_Encoding="gzip"
                        )
                    self.send_response(204)
                    self.end_headers()
                    return None
                self.send_response(404)
                self.end_headers()
                return None

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()


def first_frames(url: str, runs: int) -> dict[tuple[str, int], list[dict[str, float]]]:
    from playwright.sync_api import sync_playwright

    results: dict[tuple[str, int], list[dict[str, float]]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            for _ in range(runs):
                for z in FRAME_ZOOMS:
                    for mode in ("old", "new"):
                        context = browser.new_context(
                            viewport={"width": VIEW[0], "height": VIEW[1]}
                        )
                        page = context.new_page()
                        lat, lon = CENTRE
                        page.goto(f"{url}/#mode={mode}&z={z}&lat={lat}&lon={lon}")
                        page.wait_for_function("() => window.__frame", timeout=60000)
                        if z == 16 and mode == "new":
                            page.screenshot(path="/tmp/tiles-bench-new-z16.png")
                        if z == 16 and mode == "old":
                            page.screenshot(path="/tmp/tiles-bench-old-z16.png")
                        results.setdefault((mode, z), []).append(
                            page.evaluate("() => window.__frame")
                        )
                        context.close()
        finally:
            browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default="astana")
    parser.add_argument("--old-ref", default=None, help="git ref of the Pillow renderer")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    data = ROOT / "data" / "basemap" / f"{args.region}.geojson.gz"
    extent = REGION_BOXES[args.region]
    work = Path(tempfile.mkdtemp(prefix="saqshy-basemap-bench-"))
    try:
        start = time.perf_counter()
        encoder = VectorBasemap.from_features(iter_geojson_features([data]))
        archive = work / f"{args.region}.pmtiles"
        with archive.open("wb") as out:
            stats = write_pmtiles(out, encoder.tiles(extent), extent=extent, metadata={})
        build_s = time.perf_counter() - start
        tiles = sum(n for n, _ in stats.values())
        print(
            f"data: {data.relative_to(ROOT)} ({data.stat().st_size / 1e6:.1f} MB); "
            + ", ".join(f"{k} {v}" for k, v in encoder.counts.items())
        )
        print(
            f"new: archive {archive.stat().st_size / 1e6:.2f} MB, {tiles} tiles over data "
            f"zooms 0-{MAX_DATA_ZOOM} of the region's box, encoded in {build_s:.0f} s"
        )
        print(
            "new, per data zoom: "
            + ", ".join(f"z{z} {n} tiles {b / 1024:.0f} KiB" for z, (n, b) in sorted(stats.items()))
        )

        ref = subprocess.run(
            ["git", "rev-parse", "--verify", args.old_ref or old_ref()],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        wanted = {t for z in BYTE_ZOOMS for t in tiles_over(BOX, z)}
        wanted |= {t for z in FRAME_ZOOMS for t in tiles_over(view_box(z), z)}
        old_dir = work / "old"
        start = time.perf_counter()
        times = render_old(ref, data, old_dir, sorted(wanted))
        print(
            f"old: {len(wanted)} PNG tiles rendered with {ref[:12]} in "
            f"{time.perf_counter() - start:.0f} s"
        )
        print()
        print(f"bytes to show the box {BOX} (lon/lat) at each display zoom:")
        print(
            f"{'zoom':>4} {'old tiles':>9} {'old KiB':>8} {'old ms/tile':>11} "
            f"{'new tiles':>9} {'new KiB':>8} {'new/old':>7}"
        )
        with archive.open("rb") as handle:
            reader = Reader(MmapSource(handle))
            total_old = total_new = 0
            for z in BYTE_ZOOMS:
                old = [old_dir / str(t[0]) / str(t[1]) / f"{t[2]}.png" for t in tiles_over(BOX, z)]
                old_bytes = sum(p.stat().st_size for p in old)
                dz = min(z - 1, MAX_DATA_ZOOM)
                new = [reader.get(*t) for t in tiles_over(BOX, dz)]
                new_bytes = sum(len(d) for d in new if d)
                fetched = z - 1 <= MAX_DATA_ZOOM
                total_old += old_bytes
                total_new += new_bytes if fetched else 0
                print(
                    f"{z:>4} {len(old):>9} {old_bytes / 1024:>8.0f} "
                    f"{statistics.median(times[str(z)]):>11.0f} "
                    f"{sum(1 for d in new if d) if fetched else 0:>9} "
                    f"{(new_bytes if fetched else 0) / 1024:>8.0f} "
                    f"{(new_bytes if fetched else 0) / max(old_bytes, 1):>7.2f}"
                )
            print(
                f"total (zooms {BYTE_ZOOMS.start}-{BYTE_ZOOMS.stop - 1}): old "
                f"{total_old / 1024:.0f} KiB, new {total_new / 1024:.0f} KiB "
                f"({total_new / total_old:.2f}x)"
            )
        print()
        with static_server(old_dir, archive) as url:
            frames = first_frames(url, args.runs)
        print(f"first complete frame, {VIEW[0]}x{VIEW[1]}, median of {args.runs} runs:")
        print(f"{'zoom':>4} {'old ms':>7} {'new ms':>7} {'new/old':>7} {'labels':>6}")
        for z in FRAME_ZOOMS:
            old_ms = statistics.median(f["ms"] for f in frames[("old", z)])
            new_ms = statistics.median(f["ms"] for f in frames[("new", z)])
            labels = min(f["labels"] for f in frames[("new", z)])
            print(f"{z:>4} {old_ms:>7.0f} {new_ms:>7.0f} {new_ms / old_ms:>7.2f} {labels:>6.0f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

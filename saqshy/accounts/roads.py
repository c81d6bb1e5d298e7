"""Each region's drivable road graph: built from its OSM roads, stored once, loaded once.

``import_osm`` writes ``var/graphs/<slug>.npz`` from the same source it imports; a region
without one (the demo bundle) gets it built from its basemap roads on first use. The file also
holds the graph's CCH contraction order (the slow, weight-independent part of the hierarchy
that answers routes and rankings; ~0.4 s for Astana): it is computed when the graph is built,
and added once to an older file that lacks it. Loaded graphs stay in memory per process, with
their hierarchy built and customized for both metrics (~20 ms), and are reloaded when the file
changes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from saqshy.accounts.models import Region
from saqshy.algorithms.routing import (
    RoadGraph,
    SpeedProfile,
    build_graph,
    build_graph_from_basemap,
    cch,
)


class NoRoadGraph(LookupError):
    """The region has no road data to route on."""


def graph_path(region: Region) -> Path:
    return Path(settings.VAR_DIR) / "graphs" / f"{region.slug}.npz"


def _basemap_source(region: Region) -> Path | None:
    for folder in (Path(settings.VAR_DIR) / "basemap", Path(settings.DATA_DIR) / "basemap"):
        candidate = folder / f"{region.slug}.geojson.gz"
        if candidate.exists():
            return candidate
    return None


def _prepare(graph: RoadGraph) -> RoadGraph:
    """Build the graph's hierarchy and customize both metrics, so requests find them ready
    (and ``save`` writes the contraction order). Without routingkit-cch nothing is done: the
    search falls back to scipy and says so."""
    if cch.available() and graph.node_count:
        for metric in ("time", "distance"):
            graph.hierarchy.customized(metric)
    return graph


def _store(graph: RoadGraph, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.stem}.{threading.get_ident()}.npz")
    graph.save(partial)
    partial.replace(target)


def save_graph(region: Region, roads: Iterable[Any], profile: SpeedProfile | None = None) -> Path:
    """Build and store the region's graph from OSM road records (replacing any older one)."""
    graph = _prepare(build_graph(roads, profile))
    target = graph_path(region)
    _store(graph, target)
    return target


@dataclass
class _Cached:
    stamp: float
    graph: RoadGraph


_lock = threading.Lock()
_cache: dict[str, _Cached] = {}


def graph_for(region: Region) -> RoadGraph:
    """The region's graph, building it from the basemap roads the first time if needed."""
    path = graph_path(region)
    with _lock:
        if not path.exists():
            source = _basemap_source(region)
            if source is None:
                raise NoRoadGraph(region.slug)
            _store(_prepare(build_graph_from_basemap(source)), path)
        stamp = path.stat().st_mtime
        cached = _cache.get(region.slug)
        if cached is None or cached.stamp != stamp:
            graph = _prepare(RoadGraph.load(path))
            if graph.cch_order is None and graph.known_cch_order() is not None:
                _store(graph, path)  # an older file: keep the order computed just now
                stamp = path.stat().st_mtime
            cached = _Cached(stamp, graph)
            _cache[region.slug] = cached
        return cached.graph

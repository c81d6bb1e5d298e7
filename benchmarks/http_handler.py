"""Plain HTTP through Django's WSGI handler in threads (what ``saqshy.asgi`` serves) against
Django's ASGI handler (the layout before), side by side.

Starts one uvicorn worker on the given database for each way, in turns (``--rounds``), with
the read cache off so that every request reaches Django, and lets ``--clients`` keep-alive
clients ask each URL for ``--seconds``. Prints, per URL and way, the median over the rounds of
requests a second, the server's CPU per request (from ``/proc``: the load generator's CPU is not
counted), p50 and p99, and the ratio WSGI/ASGI.

    flock /tmp/saqshy-heavy.lock .venv/bin/python benchmarks/http_handler.py \\
        --database-url postgres://postgres@127.0.0.1:5432/saqshy_load

The database needs the demo (``migrate`` + ``load_demo --i-know-this-is-not-production``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from read_cache import _measure, prepared

URLS = (
    "/api/incidents/?open=true&page_size=1",
    "/api/facilities/?page_size=50",
    "/api/units/?page_size=50",
    "/api/reports/?page_size=20",
)
WAYS = {
    "WSGI in threads (served)": ("saqshy.asgi:application",),
    "Django's ASGI handler (before)": ("http_handler:asgi_handler", "--factory"),
}


def asgi_handler() -> Any:
    """The served application with plain HTTP through Django's ASGI handler instead."""
    from django.core.asgi import get_asgi_application

    import saqshy.asgi as served
    from saqshy.core.readcache import ReadCache

    served.router.application_mapping["http"] = ReadCache(get_asgi_application())
    return served.application


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args, env, token = prepared(parser, 8)
    env["SAQSHY_READ_CACHE_SECONDS"] = "0"
    runs: dict[str, list[dict[str, tuple[float, float, float, float]]]] = {w: [] for w in WAYS}
    for _ in range(args.rounds):
        for way, app in WAYS.items():
            runs[way].append(_measure(env, token, args.seconds, args.clients, app, URLS))
    print(f"one uvicorn worker, read cache off, {args.clients} clients, {args.seconds:.0f} s per "
          f"URL, median of {args.rounds} rounds; server CPU from /proc")  # fmt: skip
    print("| URL | Django answers through | req/s | server CPU ms/req | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    served, before = WAYS
    for url in URLS:
        medians = {
            way: tuple(statistics.median(run[url][i] for run in runs[way]) for i in range(4))
            for way in WAYS
        }
        for way, row in medians.items():
            print(f"| `{url}` | {way} | {row[0]:.0f} | {row[1]:.1f} | {row[2]:.0f} | "
                  f"{row[3]:.0f} |")  # fmt: skip
        print(f"| | WSGI/ASGI | {medians[served][0] / medians[before][0]:.2f}× | "
              f"{medians[served][1] / medians[before][1]:.2f}× | | |")  # fmt: skip
    sys.stdout.flush()


if __name__ == "__main__":
    main()

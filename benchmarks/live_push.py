"""Live push latency: a facility saved through the service until an open map receives it.

Budget (issue 2): every open map that may see a change gets it within 1 s of the commit.
Measured for the in-memory channel layer and for Redis (when one answers at
``REDIS_URL``, default ``redis://127.0.0.1:6379/14``), each over ``--n`` changes, on a fresh
SQLite database in a temporary folder. Prints a table; asserts nothing.

Usage: ``DEBUG=true .venv/bin/python benchmarks/live_push.py [--n 200]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

BUDGET_MS = 1000.0


def _setup(folder: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DEBUG", "true")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saqshy.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _measure(layer: dict[str, Any], n: int) -> list[float]:
    from asgiref.sync import async_to_sync
    from channels.db import database_sync_to_async
    from channels.layers import channel_layers
    from channels.testing import WebsocketCommunicator
    from django.test import override_settings

    from saqshy.accounts.models import User
    from saqshy.facilities import services
    from saqshy.situation.consumers import SituationConsumer

    latencies: list[float] = []
    user = User.objects.get(username="analyst_national")

    def save(k: int) -> float:
        started = time.perf_counter()
        services.create_facility(
            acting_user=None, kind="school", name=f"Bench {k}", lat=51.1 + k * 1e-5, lon=71.4
        )
        return started

    async def run() -> None:
        socket = WebsocketCommunicator(SituationConsumer.as_asgi(), "/ws/situation/")
        socket.scope["user"] = user
        await socket.connect()
        await socket.receive_json_from(timeout=5)
        for k in range(n):
            started = await database_sync_to_async(save)(k)
            await socket.receive_json_from(timeout=5)
            latencies.append((time.perf_counter() - started) * 1000)
        await socket.disconnect()

    with override_settings(CHANNEL_LAYERS={"default": layer}):
        channel_layers.backends.clear()
        async_to_sync(run)()
    channel_layers.backends.clear()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _setup(Path(folder))
        from saqshy.core.testing.personas import make_personas

        make_personas()
        layers: list[tuple[str, dict[str, Any]]] = [
            ("in-memory", {"BACKEND": "channels.layers.InMemoryChannelLayer"})
        ]
        redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
        try:
            import redis

            redis.Redis.from_url(redis_url, socket_connect_timeout=1).ping()
            layers.append(
                (
                    "redis",
                    {
                        "BACKEND": "saqshy.core.channel_layer.PubSubChannelLayer",
                        "CONFIG": {"hosts": [redis_url], "prefix": f"bench-{uuid.uuid4().hex[:6]}"},
                    },
                )
            )
        except Exception as error:
            print(f"redis: skipped ({error})")
        print(
            f"{'layer':<10} {'n':>5} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} "
            f"{'budget ms':>10} {'p95/budget':>11}"
        )
        for name, layer in layers:
            values = sorted(_measure(layer, args.n))
            p95 = values[int(0.95 * (len(values) - 1))]
            print(
                f"{name:<10} {len(values):>5} {statistics.median(values):>10.1f} {p95:>8.1f} "
                f"{values[-1]:>8.1f} {BUDGET_MS:>10.0f} {p95 / BUDGET_MS:>11.3f}"
            )


if __name__ == "__main__":
    main()

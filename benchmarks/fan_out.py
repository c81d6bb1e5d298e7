"""Live push fan-out: one change to every open map, through each Redis channel layer.

On New Year's Eve 200 maps sit in one region's group and about 120 changes a second are
sent to it. This measures only that fan-out, side by side for the channel layers, against
the real Redis at ``--redis`` (a database of its own):

- ``lists``: ``channels_redis.core.RedisChannelLayer``, a list per channel in Redis: a
  ``group_send`` writes the message once per member, and each web process takes its
  members' messages one at a time;
- ``pubsub``: ``saqshy.core.channel_layer.PubSubChannelLayer`` (Redis publish/subscribe):
  one publish per change, one copy to each subscribed process, which hands it to its
  members in memory.

``--processes`` receiver processes (the web processes) each hold ``--maps`` / processes
channels in the group, and one task per channel receives as a consumer does; a sender sends
``--rate`` changes a second for ``--seconds``. Printed per layer: changes sent, copies
delivered (of sent × maps), delivery latency p50/p99 from the send, and the CPU each side
used per change, Redis's included (from its ``INFO``; the sender's last 2 s wait for
stragglers, so it includes any receiving after them). Asserts nothing.

Usage: ``flock /tmp/saqshy-heavy.lock .venv/bin/python benchmarks/fan_out.py``
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LAYERS = {
    "lists": "channels_redis.core.RedisChannelLayer",
    "pubsub": "saqshy.core.channel_layer.PubSubChannelLayer",
}
GROUP = "region.1"


def _layer(backend: str, redis: str, prefix: str) -> Any:
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            CHANNEL_LAYERS={
                "default": {
                    "BACKEND": backend,
                    "CONFIG": {"hosts": [{"address": redis}], "prefix": prefix},
                }
            }
        )
    from channels.layers import get_channel_layer

    return get_channel_layer()


def _cpu() -> float:
    usage = os.times()
    return usage.user + usage.system


def _redis_cpu(url: str) -> float:
    """Seconds of CPU the Redis server has used (its own ``INFO``)."""
    import redis

    info = redis.Redis.from_url(url).info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def _receiver(backend: str, redis: str, prefix: str, maps: int, ready: Any, out: Any) -> None:
    async def main() -> None:
        layer = _layer(backend, redis, prefix)
        latencies: list[float] = []
        stop = asyncio.Event()

        async def member() -> None:
            channel = await layer.new_channel()
            await layer.group_add(GROUP, channel)
            while True:
                message = await layer.receive(channel)
                if message["type"] == "bench.stop":
                    stop.set()
                    return
                latencies.append(time.time() * 1000 - message["sent_ms"])

        tasks = [asyncio.create_task(member()) for _ in range(maps)]
        await asyncio.sleep(1.0)
        ready.put(True)
        started = _cpu()
        await stop.wait()
        await asyncio.sleep(1.0)  # the rest of the stop messages
        out.put((latencies, _cpu() - started))
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(main())


def _send(backend: str, redis: str, prefix: str, rate: float, seconds: float) -> tuple[int, float]:
    async def main() -> tuple[int, float]:
        layer = _layer(backend, redis, prefix)
        sent, started, cpu = 0, time.monotonic(), _cpu()
        while (elapsed := time.monotonic() - started) < seconds:
            due = sent / rate
            if due > elapsed:
                await asyncio.sleep(due - elapsed)
            event = {"topic": "incident", "op": "updated", "id": sent, "perm": "view_incident"}
            await layer.group_send(
                GROUP, {"type": "saqshy.event", "event": event, "sent_ms": time.time() * 1000}
            )
            sent += 1
        used = _cpu() - cpu
        await asyncio.sleep(2.0)
        await layer.group_send(GROUP, {"type": "bench.stop"})
        return sent, used

    return asyncio.run(main())


def _sender(backend: str, redis: str, prefix: str, rate: float, seconds: float, out: Any) -> None:
    out.put(_send(backend, redis, prefix, rate, seconds))


def run(name: str, args: argparse.Namespace) -> dict[str, Any]:
    backend = LAYERS[name]
    prefix = f"fanout{os.getpid()}{name}"
    context = multiprocessing.get_context("spawn")
    ready, out, sent_out = context.Queue(), context.Queue(), context.Queue()
    share = args.maps // args.processes
    receivers = [
        context.Process(target=_receiver, args=(backend, args.redis, prefix, share, ready, out))
        for _ in range(args.processes)
    ]
    for process in receivers:
        process.start()
    for _ in receivers:
        ready.get(timeout=60)
    sender = context.Process(
        target=_sender, args=(backend, args.redis, prefix, args.rate, args.seconds, sent_out)
    )
    redis_before = _redis_cpu(args.redis)
    sender.start()
    sent, sender_cpu = sent_out.get(timeout=args.seconds + 120)
    redis_cpu = _redis_cpu(args.redis) - redis_before
    results = [out.get(timeout=args.seconds + 120) for _ in receivers]
    for process in [sender, *receivers]:
        process.join(timeout=30)
    latencies = sorted(value for values, _cpu in results for value in values)
    receiver_cpu = sum(cpu for _values, cpu in results)

    def quantile(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else 0.0

    return {
        "layer": name,
        "sent": sent,
        "delivered": len(latencies),
        "expected": sent * share * args.processes,
        "p50": quantile(0.5),
        "p99": quantile(0.99),
        "median": statistics.median(latencies) if latencies else 0.0,
        "send_cpu_ms": 1000 * sender_cpu / max(sent, 1),
        "receive_cpu_ms": 1000 * receiver_cpu / max(sent, 1),
        "redis_cpu_ms": 1000 * redis_cpu / max(sent, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--maps", type=int, default=200)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--rate", type=float, default=120.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--layers", default="lists,pubsub")
    args = parser.parse_args()
    print(
        f"{args.maps} maps in {args.processes} processes, {args.rate:g} changes/s for "
        f"{args.seconds:g} s, {args.rounds} rounds in turns"
    )
    print("| layer | round | sent | delivered / expected | p50 ms | p99 ms "
          "| sender CPU ms/change | receivers' CPU ms/change | Redis CPU ms/change |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for round_ in range(1, args.rounds + 1):
        for name in args.layers.split(","):
            r = run(name, args)
            print(
                f"| {name} | {round_} | {r['sent']} | {r['delivered']:,} / {r['expected']:,} "
                f"| {r['p50']:.1f} | {r['p99']:.1f} | {r['send_cpu_ms']:.2f} "
                f"| {r['receive_cpu_ms']:.2f} | {r['redis_cpu_ms']:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()

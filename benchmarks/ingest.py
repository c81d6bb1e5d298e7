"""Ingest over MQTT into PostgreSQL: throughput, latency, an alarm storm and faults.

Issue 11's targets: ≥ 5,000 messages/s on 2 cores with 2 consumers; publish→row and
publish→open map p50/p99; all 36,000 devices alarming within 10 s stored once each; a
200,000-message run surviving a killed consumer, a broker restart and a PostgreSQL restart
with nothing lost and nothing stored or handled twice. Prints tables; asserts nothing.

Side by side in one run, on the same broker: the bare subscriber (a paho client that only
counts: the broker's raw throughput, the ceiling) and ``--consumers`` × ``manage.py
ingest_mqtt`` in one shared-subscription group storing into PostgreSQL. Publishers are
separate paho processes (QoS 1). Each sustained measurement is repeated ``--runs`` times;
the table gives each run and the median.

- publish→row: the ``sent`` time in the payload to the commit of the row's transaction (a
  statement trigger NOTIFYs at commit; ``CommitClock``).
- publish→map: every ``--map-every``-th device starts "new" (the others online); its first
  stored message declares it online, pushed live to the region's group; the benchmark
  listens on that group through the Redis channel layer (as an open map's socket does) and
  takes the device's first message.
- alarm→map (paced runs, ``--pace``): every fire alarm is installed in a home of its own
  (``ingest_homes``); every ``--alarms-every``-th message is an ``alarm`` from a distinct
  home, which opens a ``home_fire_alarm`` incident; measured from its ``sent`` time to the
  incident's ``created`` push on the region's group (the alarm event joins the incident id
  to the stored message).
- Storm: ``--storm-households`` homes (default every device) alarm within
  ``--storm-seconds``, ``--storm-repeat`` of them again ``--storm-repeat-after`` s later (the
  second joins the open incident); incidents per home, the time to open them all, and the
  region dispatcher's incidents page and API list timed meanwhile (in-process test client).
- Faults need a broker and a database this run may restart: it starts its own Mosquitto and
  PostgreSQL cluster (temporary folders, free ports) and never touches the machine's.

Usage: ``DEBUG=true .venv/bin/python benchmarks/ingest.py [--messages 50000] [--runs 3]
[--devices 36000] [--pace 0] [--alarms-every 50] [--storm-households 0]
[--fault-messages 200000] [--skip-faults] [--skip-storm]
[--database-url postgres://postgres@127.0.0.1:5432/saqshy_bench]``
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest_bench import (
    MAP_BUDGET_MS,
    REDIS_URL,
    TARGET_RATE,
    Bench,
    LiveWatch,
    median_row,
    pct,
)
from ingest_parts import (
    CommitClock,
    OwnBroker,
    OwnPostgres,
    broker_up,
    temporary_folder,
    wait_until,
)
from ingest_storm import storm


def alarm_to_map(bench: Bench, live: LiveWatch | None, expected: int) -> dict[str, Any]:
    """publish→the ``created`` push of the incident each alarm opened, after the run drained.

    Waits until the run's ``expected`` alarms are handled and their incidents pushed (or
    nothing moves for 30 s); the push carries the incident's id, the alarm event joins it to
    the stored message and its ``sent`` time.
    """

    def opened() -> list[tuple[int, float]]:
        return [
            (int(incident), float(sent))
            for incident, sent in bench.sql(
                "SELECT e.incident_id, (m.payload->>'sent')::float8 FROM alarms_alarmevent e "
                "JOIN ingest_devicemessage m ON m.device_id = e.device_id "
                "AND m.message_id = e.message_id WHERE e.outcome = 'incident'"
            )
        ]

    progress = [-1, time.monotonic()]

    def settled() -> bool:
        stored = len(opened())
        pushed = len(live.incidents) if live else expected
        if stored + pushed != progress[0]:
            progress[:] = [stored + pushed, time.monotonic()]
        return (stored >= expected and pushed >= expected) or (
            time.monotonic() - float(progress[1]) > 30
        )

    wait_until(settled, bench.args.patience, every=0.2)
    rows = opened()
    pushed = live.incidents if live else {}
    values = [(pushed[i] - sent) * 1000 for i, sent in rows if i in pushed]
    return {
        "alarms": expected,
        "incidents": len(rows),
        "n": len(values),
        "p50": pct(values, 0.5),
        "p99": pct(values, 0.99),
    }


def sustained(bench: Bench, clock: CommitClock, live: LiveWatch | None) -> None:
    args = bench.args
    # Paced runs carry an alarm every ``--alarms-every`` messages (alarm→map); flat-out runs
    # measure throughput with heartbeats and readings only, as before.
    alarms_every = args.alarms_every if args.pace and bench.homes else 0
    rows = []
    alarm_rows = []
    for r in range(args.runs):
        raw = bench.bare(f"raw{r}{uuid.uuid4().hex[:4]}", args.messages)
        bench.reset()
        if live:
            live.clear()
        clock.times.clear()
        sent = bench.publishers(
            f"s{r}{uuid.uuid4().hex[:4]}", args.messages, readings=args.readings, rate=args.pace,
            alarms_every=alarms_every,
        )  # fmt: skip
        done = bench.drain(sent["acked"], args.patience)
        messages, readings = bench.stored()
        if alarms_every:
            ((alarms,),) = bench.sql(
                "SELECT count(*) FROM ingest_devicemessage WHERE kind = 'alarm'"
            )
            alarm_rows.append(alarm_to_map(bench, live, int(alarms)))
        seconds = max(done - sent["began"], 1e-9)
        row_ms, first = bench.latencies(clock)
        map_ms = [
            (at - first[serial]) * 1000
            for serial, at in (live.seen if live else {}).items()
            if serial in first
        ]
        rows.append(
            {
                "raw": raw["rate"],
                "stored": messages + readings,
                "acked": sent["acked"],
                "rate": (messages + readings) / seconds,
                "row50": pct(row_ms, 0.5),
                "row99": pct(row_ms, 0.99),
                "map_n": len(map_ms),
                "map50": pct(map_ms, 0.5),
                "map99": pct(map_ms, 0.99),
            }
        )
    print(
        f"\nSustained: {args.messages} messages per run "
        f"({'at ' + format(args.pace, '.0f') + '/s' if args.pace else 'as fast as they go'}, "
        f"{args.publishers} publishers, QoS 1, "
        f"{args.devices} devices, every {args.readings}th a reading), "
        f"{args.consumers} consumers ({'partitioned' if args.partitioned else 'one shared group'}, "
        f"batch {args.batch}, linger {args.linger_ms} ms)"
    )
    print(
        f"{'run':>4} {'bare msg/s':>11} {'stored/acked':>13} {'consumers msg/s':>16} "
        f"{'ratio':>6} {'vs 5000':>8} {'row p50 ms':>11} {'row p99 ms':>11} {'map n':>6} "
        f"{'map p50 ms':>11} {'map p99 ms':>11}"
    )
    for i, row in enumerate([*rows, median_row(rows)]):
        print(
            f"{'med' if i == len(rows) else i + 1:>4} {row['raw']:>11.0f} "
            f"{row['stored']:>6.0f}/{row['acked']:<6.0f} {row['rate']:>16.0f} "
            f"{row['rate'] / row['raw']:>6.2f} {row['rate'] / TARGET_RATE:>8.2f} "
            f"{row['row50']:>11.0f} {row['row99']:>11.0f} {row['map_n']:>6.0f} "
            f"{row['map50']:>11.0f} {row['map99']:>11.0f}"
        )
    if alarm_rows:
        print(
            f"\nAlarm→map (the same paced runs): every {alarms_every}th message an 'alarm' from "
            "a home of its own; publish → the incident's 'created' push on "
            f"region.{bench.region_id}"
        )
        print(
            f"{'run':>4} {'alarms':>7} {'incidents':>10} {'pushed':>7} {'p50 ms':>8} "
            f"{'p99 ms':>8} {'p99/1 s':>8}"
        )
        for i, row in enumerate([*alarm_rows, median_row(alarm_rows)]):
            print(
                f"{'med' if i == len(alarm_rows) else i + 1:>4} {row['alarms']:>7.0f} "
                f"{row['incidents']:>10.0f} {row['n']:>7.0f} {row['p50']:>8.0f} "
                f"{row['p99']:>8.0f} {row['p99'] / MAP_BUDGET_MS:>8.2f}"
            )
    elif args.pace:
        print("alarm→map: not measured (no households installed)")


def faults(args: argparse.Namespace) -> None:
    """200,000 messages; kill -9 a consumer, restart the broker, restart PostgreSQL."""
    folder = temporary_folder("saqshy-ingest-faults-")
    broker = OwnBroker(folder / "mqtt")
    broker.start()
    postgres = OwnPostgres(folder / "pg") if OwnPostgres.available() else None
    database_url = args.database_url
    if postgres:
        postgres.start()
        database_url = postgres.url
    bench = Bench(args, database_url, broker.url)
    bench.probe_kinds = "alarm,heartbeat"
    events: list[str] = []
    try:
        bench.prepare()
        for name in [f"c{i}" for i in range(args.consumers)]:
            bench.start_consumer(name)
        bench.warm_up()
        run = f"f{uuid.uuid4().hex[:4]}"
        rate = args.fault_rate
        total = args.fault_messages
        result: dict[str, Any] = {}
        publishing = threading.Thread(
            target=lambda: result.update(
                bench.publishers(run, total, rate=rate, readings=args.readings)
            )
        )
        began = time.monotonic()
        publishing.start()
        span = total / rate

        def at(fraction: float) -> None:
            time.sleep(max(0.0, began + span * fraction - time.monotonic()))

        at(0.2)
        bench.kill_consumer("c0")
        events.append("kill -9 consumer c0")
        time.sleep(2)
        bench.start_consumer("c0")
        events.append("consumer c0 restarted (same client id)")
        at(0.45)
        events.append(f"broker restarted in {broker.restart():.1f} s")
        if postgres:
            at(0.7)
            events.append(f"PostgreSQL restarted in {postgres.restart():.1f} s")
        publishing.join()
        done = bench.drain(result["acked"], args.patience)
        acked = set(result["ids"])
        stored = {
            message_id
            for (message_id,) in bench.sql(
                "SELECT message_id FROM ingest_devicemessage UNION ALL "
                "SELECT message_id FROM ingest_reading"
            )
        }
        (twice_stored,), = bench.sql(
            "SELECT count(*) FROM (SELECT device_id, message_id FROM ingest_devicemessage "
            "GROUP BY 1, 2 HAVING count(*) > 1) t"
        )  # fmt: skip
        calls, twice_handled = bench.handled_twice()
        mode = "partitioned" if args.partitioned else "one shared group"
        print(
            f"\nFaults ({args.consumers} consumers, {mode}): {total} messages at {rate:.0f}/s; "
            + "; ".join(events)
        )
        print(
            f"{'acked':>7} {'unacked':>8} {'stored':>7} {'lost':>5} {'stored twice':>13} "
            f"{'handled twice':>14} {'handler calls':>14} {'drain s':>8}"
        )
        print(
            f"{len(acked):>7} {result['unacked']:>8} {len(stored & acked):>7} "
            f"{len(acked - stored):>5} {twice_stored:>13} {twice_handled:>14} {calls:>14} "
            f"{done - result['published']:>8.1f}"
        )
        lost = sorted(int(message_id.rsplit("-", 1)[1]) for message_id in acked - stored)
        tenths = Counter(min(9, index * 10 // total) for index in lost)
        print("lost by tenth of the run:", [tenths.get(k, 0) for k in range(10)])
        if not postgres:
            print("PostgreSQL restart: skipped (no initdb on this machine)")
    finally:
        bench.close()
        broker.stop()
        if postgres:
            postgres.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50000, help="per sustained run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--devices", type=int, default=36000)
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--readings", type=int, default=10, help="every N-th message a reading")
    parser.add_argument("--publishers", type=int, default=2)
    parser.add_argument(
        "--pace", type=float, default=0.0, help="publish at this many messages/s (0: flat out)"
    )
    parser.add_argument(
        "--map-every", type=int, default=50, help="every N-th device starts new (publish→map)"
    )
    parser.add_argument("--consumers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--linger-ms", type=int, default=50)
    parser.add_argument(
        "--alarms-every",
        type=int,
        default=50,
        help="paced runs: every N-th message an alarm from a home of its own (alarm→map; 0: none)",
    )
    parser.add_argument("--storm-seconds", type=float, default=10.0)
    parser.add_argument(
        "--storm-households",
        type=int,
        default=0,
        help="homes (one device each) alarming in the storm (0: every device; 36,000 "
        "incidents take ≈ 9 min to open on 2 cores: fewer for a short run)",
    )
    parser.add_argument(
        "--storm-repeat", type=float, default=0.1, help="share of homes sending a second alarm"
    )
    parser.add_argument(
        "--storm-repeat-after", type=float, default=3.0, help="seconds behind the first wave"
    )
    parser.add_argument("--fault-messages", type=int, default=200000)
    parser.add_argument("--fault-rate", type=float, default=3000.0, help="messages/s")
    parser.add_argument("--patience", type=float, default=600.0, help="seconds to drain")
    parser.add_argument(
        "--partitioned",
        action="store_true",
        help="consumers in partitioned mode (plain subscriptions, --partition k/N) instead of "
        "one shared-subscription group",
    )
    parser.add_argument("--skip-storm", action="store_true")
    parser.add_argument("--skip-faults", action="store_true")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/saqshy_bench"
        ),
        help="a PostgreSQL database the benchmark may empty, or 'own': a cluster of its own",
    )
    args = parser.parse_args()
    own_postgres = None
    if args.database_url == "own":
        own_postgres = OwnPostgres(temporary_folder("saqshy-ingest-pg-") / "pg")
        own_postgres.start()
        args.database_url = own_postgres.url
    print(f"machine: {os.cpu_count()} cores; database {args.database_url.rsplit('@', 1)[-1]}")
    folder = temporary_folder("saqshy-ingest-broker-")
    broker = OwnBroker(folder)
    broker.start()
    bench = Bench(args, args.database_url, broker.url)
    clock: CommitClock | None = None
    live: LiveWatch | None = None
    try:
        bench.prepare()
        print(f"homes: {bench.homes} installed ({bench.homes_seconds:.1f} s to prepare)")
        clock = CommitClock(args.database_url)
        if bench.redis:
            live = LiveWatch(bench.prefix, bench.region_id)
        else:
            print(f"publish→map: not measured (no Redis at {REDIS_URL})")
        for name in [f"c{i}" for i in range(args.consumers)]:
            bench.start_consumer(name)
        if not bench.warm_up():
            print("consumers stored nothing within 60 s: see", bench.folder)
            return
        sustained(bench, clock, live)
        if not args.skip_storm:
            storm(bench, clock)
    finally:
        bench.close()
        if live:
            live.close()
        if clock:
            clock.close()
        broker.stop()
    try:
        if not args.skip_faults:
            faults(args)
    finally:
        if own_postgres:
            own_postgres.stop()
    print(f"\nlogs: {bench.folder}; machine broker up: {broker_up('mqtt://127.0.0.1:1883')}")


if __name__ == "__main__":
    main()

"""The moving parts of ``benchmarks/ingest.py``, each its own process where it matters.

- ``publish``: a paho publisher (QoS 1, persistent session, paho's own queue resends what the
  broker did not acknowledge across a broker restart) sending a share of the messages at a
  rate, recording the ids the broker acknowledged (PUBACK) in a file.
- ``count``: the bare subscriber: counts the run's messages and nothing else (the broker's raw
  throughput, the ceiling of any consumer).
- :class:`OwnBroker` and :class:`OwnPostgres`: a Mosquitto and a PostgreSQL cluster this
  benchmark starts in a temporary folder, so the fault run can restart them without touching
  the services other people on the machine use.
- :class:`CommitClock`: the time each transaction that inserted device messages committed
  (``LISTEN`` on a statement trigger's ``NOTIFY``, delivered at commit), so publish→row is
  measured to the commit, not to the consumer's ``received_at``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

from saqshy.core.testing.live import free_port
from saqshy.ingest.testing import OwnBroker as OwnBroker
from saqshy.ingest.testing import wait_until

MESSAGE_TABLE = "ingest_devicemessage"
OUTSTANDING = 20000
"""Messages a publisher keeps unacknowledged at most (paho's ids wrap at 65,535)."""
TRIGGER_SQL = f"""
CREATE OR REPLACE FUNCTION bench_commit_notify() RETURNS trigger AS $$
DECLARE chunk text;
BEGIN
    FOR chunk IN
        SELECT string_agg(id::text, ',') FROM (
            SELECT id, (row_number() OVER (ORDER BY id) - 1) / 500 AS part FROM new_rows
        ) numbered GROUP BY part
    LOOP
        PERFORM pg_notify('bench_commit', chunk);
    END LOOP;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS bench_commit ON {MESSAGE_TABLE};
CREATE TRIGGER bench_commit AFTER INSERT ON {MESSAGE_TABLE}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bench_commit_notify();
"""


def broker_address(url: str) -> tuple[str, int]:
    parsed = urllib.parse.urlparse(url)
    return parsed.hostname or "127.0.0.1", parsed.port or 1883


def broker_up(url: str, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection(broker_address(url), timeout=timeout):
            return True
    except OSError:
        return False


class OwnPostgres:
    """A PostgreSQL cluster of this run (``initdb`` in a temporary folder, its own port)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "pgdata"
        self.port = free_port()
        self.bin = Path(next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), "/usr/bin"))
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/saqshy_bench_faults"

    @staticmethod
    def available() -> bool:
        return any(Path("/usr/lib/postgresql").glob("*/bin/initdb"))

    def _as_postgres(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True)

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to postgres
            self.folder.parent.chmod(0o755)
            shutil.chown(self.folder, "postgres")
        if not self.data.exists():
            self._as_postgres(
                str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"
            )
        self._pg_ctl("start")
        self._as_postgres(
            str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
            "-U", "postgres", "saqshy_bench_faults",
        )  # fmt: skip

    def _pg_ctl(self, action: str, *extra: str) -> None:
        self._as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-l",
            str(self.folder / "postgres.log"), "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1", *extra, action,
        )  # fmt: skip

    def restart(self) -> float:
        began = time.monotonic()
        self._pg_ctl("restart", "-m", "fast")
        return time.monotonic() - began

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._pg_ctl("stop", "-m", "fast")
        shutil.rmtree(self.data, ignore_errors=True)


class CommitClock:
    """Commit time of each stored device message, by row id.

    A statement trigger sends the ids it inserted (``NOTIFY``, 500 a notice); PostgreSQL
    delivers notices when the transaction commits, never for one rolled back.
    """

    def __init__(self, database_url: str) -> None:
        import psycopg

        self.url = database_url
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(TRIGGER_SQL)
        self.times: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, daemon=True)
        self._ready = threading.Event()
        self._thread.start()
        self._ready.wait(10)

    def _listen(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("LISTEN bench_commit")
            self._ready.set()
            while not self._stop.is_set():
                for notice in conn.notifies(timeout=0.5):
                    now = time.time()
                    for row_id in notice.payload.split(","):
                        self.times.setdefault(int(row_id), now)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)


def temporary_folder(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))


# The publisher and the bare subscriber run as processes: ``python ingest_parts.py publish``.


def _client(client_id: str, *, clean: bool, v5: bool = False) -> Any:
    from paho.mqtt.client import Client, MQTTv5, MQTTv311
    from paho.mqtt.enums import CallbackAPIVersion

    if v5:
        return Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=MQTTv5)
    return Client(
        CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=clean, protocol=MQTTv311
    )


def topic_and_payload(args: argparse.Namespace, k: int) -> tuple[str, dict[str, Any]]:
    """The ``k``-th message of this publisher: a heartbeat, an alarm or a reading.

    With ``alarms_every`` N, every N-th message of a run of heartbeats is an ``alarm``.
    """
    index = args.index + k * args.publishers
    message_id = f"{args.run}-{index}"
    payload: dict[str, Any] = {
        "id": message_id,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        "run": args.run,
        "sent": time.time(),
    }
    if args.readings and index % args.readings == 0:
        site = f"BENCH-S{index // args.readings % args.sites:04d}"
        payload["value"] = 70.0 + index % 10
        return f"{args.root}/telemetry/{site}/supply_temperature", payload
    every = args.alarms_every
    if every and args.kind != "alarm" and index % every == every // 2 + 1:
        # The j-th alarm of the run comes from device j: each from a home of its own, so
        # each opens an incident (alarm→map). Just past mid-way in each stretch of ``every``:
        # neither a reading's slot (multiples of ``readings``) nor that of a device starting
        # new (publish→map: indexes ≡ -1 modulo ``map_every``) for the usual 10, 20 and 50.
        device = args.serial.format(index // every % args.devices + args.first_serial)
        return f"{args.root}/alarms/{device}/alarm", payload
    device = args.serial.format(index % args.devices + args.first_serial)
    return f"{args.root}/alarms/{device}/{args.kind}", payload


def publish(args: argparse.Namespace) -> None:
    """Send ``count`` messages at ``rate`` per second; wait for every PUBACK (or ``patience``)."""
    from paho.mqtt.client import MQTT_ERR_NO_CONN, MQTT_ERR_SUCCESS

    client = _client(f"bench-pub-{args.run}-{args.index}", clean=False)
    client.max_inflight_messages_set(200)
    client.max_queued_messages_set(0)
    client.reconnect_delay_set(0.2, 2)
    # paho marks each message's info published on its PUBACK, also after resending it over
    # a new connection; nothing here may take a lock paho's network thread waits for.
    sent: list[tuple[Any, str]] = []
    host, port = broker_address(args.url)
    client.connect(host, port, keepalive=30)
    client.loop_start()
    wait_until(client.is_connected, 10)
    unacked = [0]

    def all_acked() -> bool:
        while unacked[0] < len(sent) and sent[unacked[0]][0].is_published():
            unacked[0] += 1
        return unacked[0] == len(sent)

    began = time.time()
    for k in range(args.count):
        topic, payload = topic_and_payload(args, k)
        info = client.publish(topic, json.dumps(payload), qos=1)
        if info.rc == MQTT_ERR_NO_CONN:  # queued by paho, sent when it reconnects
            info.rc = MQTT_ERR_SUCCESS
        sent.append((info, payload["id"]))
        if k % 1000 == 999:  # paho's message ids wrap at 65,535: keep fewer outstanding
            while not all_acked() and len(sent) - unacked[0] > OUTSTANDING:
                time.sleep(0.01)
        if args.rate and k % 50 == 49:
            ahead = began + (k + 1) / args.rate - time.time()
            if ahead > 0:
                time.sleep(ahead)
    published = time.time()
    wait_until(all_acked, args.patience, every=0.05)
    done = time.time()
    client.loop_stop()
    client.disconnect()
    acked = [message_id for info, message_id in sent if info.is_published()]
    Path(args.out).write_text("\n".join(acked) + "\n", encoding="ascii")
    summary = {
        "began": began,
        "published": published,
        "acked_at": done,
        "acked": len(acked),
        "unacked": len(sent) - len(acked),
    }
    print(json.dumps(summary), flush=True)


def count(args: argparse.Namespace) -> None:
    """Count the run's messages until ``expected`` or ``idle`` seconds without one."""
    client = _client(f"bench-count-{args.run}", clean=True)
    marker = args.run.encode()
    state = {"n": 0, "first": 0.0, "last": 0.0}

    def on_message(_client: Any, _userdata: Any, message: Any) -> None:
        if marker in message.payload:
            now = time.time()
            state["first"] = state["first"] or now
            state["last"] = now
            state["n"] += 1

    def on_connect(client: Any, *_rest: Any) -> None:
        client.subscribe([(f"{args.root}/alarms/+/+", 1), (f"{args.root}/telemetry/+/+", 1)])

    client.on_message = on_message
    client.on_connect = on_connect
    host, port = broker_address(args.url)
    client.connect(host, port, keepalive=30)
    client.loop_start()
    Path(args.out).write_text("ready", encoding="ascii")
    idle_since = time.monotonic()
    seen = 0
    while state["n"] < args.expected and time.monotonic() - idle_since < args.idle:
        time.sleep(0.05)
        if state["n"] != seen:
            seen, idle_since = int(state["n"]), time.monotonic()
    client.loop_stop()
    client.disconnect()
    print(json.dumps(state), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["publish", "count"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--run", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--index", type=int, default=0)
    parser.add_argument("--publishers", type=int, default=1)
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--devices", type=int, default=36000)
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument(
        "--serial", default="BENCH-{:05d}", help="device serial format (nye_run: HA-{:06d})"
    )
    parser.add_argument("--first-serial", type=int, default=0, help="number of the first")
    parser.add_argument("--readings", type=int, default=0, help="every N-th is a reading")
    parser.add_argument("--kind", default="heartbeat")
    parser.add_argument("--alarms-every", type=int, default=0, help="every N-th an alarm")
    parser.add_argument(
        "--root", default="saqshy", help="first topic level (the bare run uses its own)"
    )
    parser.add_argument("--rate", type=float, default=0.0)
    parser.add_argument("--patience", type=float, default=120.0)
    parser.add_argument("--expected", type=int, default=0)
    parser.add_argument("--idle", type=float, default=10.0)
    args = parser.parse_args()
    publish(args) if args.role == "publish" else count(args)


if __name__ == "__main__":
    main()

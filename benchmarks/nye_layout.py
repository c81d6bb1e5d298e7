"""The production layout the New Year's Eve runs drive, on services of their own.

The processes are the ``Procfile``'s web and ingest entries: gunicorn with ``--workers``
uvicorn workers (it starts a killed worker again) and ``--consumers`` ``ingest_mqtt
--partition k/N`` (started again when they die, as ``saqshy.core.respawn`` does), all
sharing one Redis channel layer. The services are the run's own, so the fault run may
restart them without touching the machine's: a PostgreSQL cluster under ``var/nye/pg``
(kept between runs; filled once from ``--source-db`` with ``pg_dump``), a Redis without
persistence (``--save ""``, as production runs it: a restart loses the channel layer's
groups) and a Mosquitto with persistence (``OwnBroker``), each on a free port.

The sensors are ``ingest_parts.py publish`` processes (QoS 1, persistent session) sending
heartbeats of the demo's home fire alarms (``HA-000001``...) with every ``alarms_every``-th
an alarm, which opens a ``home_fire_alarm`` incident pushed to the maps.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest_parts import OwnBroker, OwnPostgres

from saqshy.core.testing.live import free_port
from saqshy.core.testing.redis_server import OwnRedis
from saqshy.ingest.testing import wait_until

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
WORK = ROOT / "var" / "nye"


class KeptPostgres(OwnPostgres):
    """:class:`OwnPostgres` whose cluster stays in ``folder`` between runs (not removed)."""

    def start(self) -> None:
        fresh = not self.data.exists()
        if fresh:
            super().start()
            return
        self._pg_ctl("start")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._pg_ctl("stop", "-m", "fast")


class Layout:
    def __init__(
        self, *, workers: int = 2, consumers: int = 2, source_db: str = "", sockets: int = 0
    ) -> None:
        WORK.mkdir(parents=True, exist_ok=True)
        self.folder = WORK
        self.logs = WORK / "logs"
        self.logs.mkdir(exist_ok=True)
        self.workers = workers
        self.sockets = sockets
        """Workers of a second gunicorn that serves only the maps' ``/ws/`` (0: none)."""
        self.consumers = consumers
        self.source_db = source_db
        self.pg = KeptPostgres(WORK / "pg")
        self.pg.url = self.pg.url.replace("saqshy_bench_faults", "saqshy_nye")
        self.redis = OwnRedis(WORK)
        self.broker = OwnBroker(WORK / "broker")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.web: subprocess.Popen[bytes] | None = None
        self.socket_web: subprocess.Popen[bytes] | None = None
        self.socket_port = free_port()
        self.socket_url = f"ws://127.0.0.1:{self.socket_port}" if sockets else ""
        self.ingest: dict[int, subprocess.Popen[bytes]] = {}
        self.sensors: list[subprocess.Popen[bytes]] = []
        self.stopping = threading.Event()
        self.respawns = 0

    # --- environment and database ------------------------------------------------------

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.pg.url,
            "REDIS_URL": self.redis.url,
            "MQTT_URL": self.broker.url,
            "DEBUG": "false",
            "SECRET_KEY": "nye-load-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
            # At most this many PostgreSQL connections per process (settings.DB_POOL_SIZE):
            # 2 web workers and 2 consumers stay under max_connections (100) whatever the load.
            "DB_POOL_SIZE": os.environ.get("DB_POOL_SIZE", "16"),
            "DJANGO_SETTINGS_MODULE": "saqshy.settings",
        }

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.pg.url, autocommit=True) as conn:
            cursor = conn.execute(statement, params)
            return list(cursor.fetchall()) if cursor.description else []

    def _fill(self) -> None:
        """An empty database gets ``--source-db`` (the Astana demo) copied in once."""
        present = self.sql("SELECT to_regclass('public.django_migrations') IS NOT NULL")[0][0]
        if present:
            return
        if not self.source_db:
            raise SystemExit("the layout's database is empty: give --source-db (a loaded demo)")
        print(f"copying {self.source_db} into the layout's PostgreSQL (once)", flush=True)
        dump = subprocess.Popen(["pg_dump", "-Fc", self.source_db], stdout=subprocess.PIPE)
        subprocess.run(
            ["pg_restore", "--no-owner", "-d", self.pg.url],
            stdin=dump.stdout,
            check=True,
        )
        dump.wait()

    def manage(self, *command: str) -> None:
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=self.env(), check=True)

    def prepare(self, fixture: Path, units: int, maps: int) -> None:
        self.manage("migrate", "--noinput", "-v", "0")
        call = f"prepare({str(fixture)!r}, {units}, {maps})"
        self.manage("shell", "-v", "0", "-c", f"from benchmarks.nye_prepare import prepare; {call}")

    # --- processes ---------------------------------------------------------------------

    def start(self) -> None:
        self.pg.folder.mkdir(parents=True, exist_ok=True)
        self.pg.start()
        with contextlib.suppress(subprocess.CalledProcessError):
            self.pg._as_postgres(
                str(self.pg.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg.port),
                "-U", "postgres", "saqshy_nye",
            )  # fmt: skip
        self._fill()
        self.redis.start()
        self.broker.start()

    def start_web(self) -> None:
        log = (self.logs / "web.log").open("ab")
        self.web = subprocess.Popen(
            [PY, "-m", "gunicorn", "saqshy.asgi:application", "-k",
             "uvicorn_worker.UvicornWorker", "-w", str(self.workers),
             "-b", f"127.0.0.1:{self.port}", "--timeout", "60", "--graceful-timeout", "10"],
            cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        if self.sockets:
            # The maps' pool: the same application, a few HTTP threads (nothing but the
            # sockets is sent to it), so its event loop shares its process with no view.
            self.socket_web = subprocess.Popen(
                [PY, "-m", "gunicorn", "saqshy.asgi:application", "-k",
                 "uvicorn_worker.UvicornWorker", "-w", str(self.sockets),
                 "-b", f"127.0.0.1:{self.socket_port}", "--timeout", "60",
                 "--graceful-timeout", "10"],
                cwd=ROOT, env={**self.env(), "SAQSHY_HTTP_THREADS": "2"},
                stdout=(self.logs / "sockets.log").open("ab"), stderr=subprocess.STDOUT,
            )  # fmt: skip
        for k in range(1, self.consumers + 1):
            self._start_consumer(k)
        threading.Thread(target=self._supervise, daemon=True).start()
        if not wait_until(self.web_up, 60, every=0.5):
            raise RuntimeError(f"the web processes did not answer; see {self.logs / 'web.log'}")
        if self.sockets and not wait_until(
            lambda: self.web_up(f"http://127.0.0.1:{self.socket_port}"), 60, every=0.5
        ):
            raise RuntimeError(f"the sockets' pool did not answer; see {self.logs / 'sockets.log'}")

    def web_up(self, url: str = "") -> bool:
        try:
            with urllib.request.urlopen(f"{url or self.url}/api/", timeout=2):
                return True
        except urllib.error.HTTPError:
            return True  # 401: it answers
        except OSError:
            return False

    def _start_consumer(self, k: int) -> None:
        log = (self.logs / f"ingest{k}.log").open("ab")
        self.ingest[k] = subprocess.Popen(
            [PY, "manage.py", "ingest_mqtt", "--partition", f"{k}/{self.consumers}",
             "--client-id", f"nye-ingest-p{k}", "--batch", "500"],
            cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def _supervise(self) -> None:
        """Start a consumer that died again after a second (``saqshy.core.respawn``)."""
        while not self.stopping.wait(0.2):
            for k, process in list(self.ingest.items()):
                if process.poll() is not None and not self.stopping.is_set():
                    time.sleep(1.0)
                    self.respawns += 1
                    self._start_consumer(k)

    def web_workers(self) -> list[int]:
        if self.web is None:
            return []
        children = Path(f"/proc/{self.web.pid}/task/{self.web.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    # --- faults ------------------------------------------------------------------------

    def kill_web_worker(self) -> float:
        began = time.monotonic()
        os.kill(self.web_workers()[0], signal.SIGKILL)
        return time.monotonic() - began

    def kill_consumer(self) -> float:
        began = time.monotonic()
        self.ingest[1].send_signal(signal.SIGKILL)
        return time.monotonic() - began

    def restart_postgres(self) -> float:
        return self.pg.restart()

    def restart_redis(self) -> float:
        return self.redis.restart()

    def restart_broker(self) -> float:
        return self.broker.restart()

    # --- sensors -----------------------------------------------------------------------

    def start_sensors(
        self, *, rate: float, seconds: float, alarms_every: int, devices: int = 36000
    ) -> tuple[str, list[Path]]:
        """Publishers of heartbeats (and alarms) at ``rate`` messages/s for ``seconds``."""
        run = f"nye{uuid.uuid4().hex[:6]}"
        outs = []
        publishers = 2
        for index in range(publishers):
            out = self.folder / f"{run}-{index}.acked"
            outs.append(out)
            self.sensors.append(
                subprocess.Popen(
                    [
                        PY,
                        str(ROOT / "benchmarks" / "ingest_parts.py"),
                        "publish",
                        "--url",
                        self.broker.url,
                        "--run",
                        run,
                        "--out",
                        str(out),
                        "--index",
                        str(index),
                        "--publishers",
                        str(publishers),
                        "--count",
                        str(int(rate * seconds / publishers)),
                        "--rate",
                        str(rate / publishers),
                        "--devices",
                        str(devices),
                        "--serial",
                        "HA-{:06d}",
                        "--first-serial",
                        "1",
                        "--alarms-every",
                        str(alarms_every),
                        "--patience",
                        "120",
                    ],
                    cwd=ROOT,
                    stdout=(self.logs / f"{run}-{index}.log").open("ab"),
                    stderr=subprocess.STDOUT,
                )
            )
        return run, outs

    def wait_sensors(self, timeout: float = 180) -> None:
        for process in self.sensors:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout)
        self.sensors = []

    def stop(self) -> None:
        self.stopping.set()
        webs = [p for p in (self.web, self.socket_web) if p is not None]
        for process in [*self.sensors, *self.ingest.values(), *webs]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.ingest.values(), *webs]:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(20)
        self.broker.stop()
        self.redis.stop()
        self.pg.stop()


def profile_arguments(parser: argparse.ArgumentParser, **defaults: Any) -> None:
    """The options of the load profile and the layout, shared by ``nye_run`` and
    ``nye_faults``; ``defaults`` overrides a default by option name (``maps=50``)."""
    options: list[tuple[str, type, Any, str]] = [
        ("source-db", str, "", "a loaded Astana demo database to copy once"),
        ("warmup", float, 20, "seconds before measuring (the maps' first snapshots)"),
        ("maps", int, 200, "open operator maps on the live socket"),
        ("intake", int, 20, "call takers, one call a second each"),
        ("feeders", int, 100, "locust users sending the units' positions"),
        ("units", int, 2000, "units sending a position every 5 s"),
        ("browsers", str, "0,50", "browsing planners and analysts"),
        ("spawn-rate", int, 100, "locust users started a second"),
        ("sensor-rate", float, 200.0, "sensor messages a second over MQTT"),
        ("alarms-every", int, 200, "one sensor message in this many is an alarm"),
        ("workers", int, 2, "gunicorn's uvicorn workers"),
        ("sockets", int, 0, "workers of a second gunicorn for the maps' /ws/ only"),
        ("consumers", int, 2, "ingest_mqtt partitions"),
    ]
    for name, kind, default, help_text in options:
        default = defaults.get(name.replace("-", "_"), default)
        parser.add_argument(f"--{name}", type=kind, default=default, help=help_text)
    parser.add_argument(
        "--positions", choices=["mqtt", "http"], default=defaults.get("positions", "mqtt"),
        help="units' positions from vehicle trackers over MQTT, or POSTed to the API",
    )  # fmt: skip

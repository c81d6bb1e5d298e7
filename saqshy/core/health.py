"""Liveness and readiness of every process of the production layout.

Two questions, asked by a load balancer or a supervisor:

- **alive** (``/healthz``): is this process still doing its job? A web process that answers is
  alive; a worker is alive while its loop keeps turning (:class:`Heartbeat`). A supervisor
  restarts a process that stays not alive.
- **ready** (``/readyz``): can it serve now? The database answers, and the other services
  the process needs (the channel layer's Redis for web processes, the broker for the ingest
  consumers). A load balancer sends no traffic to a process that is not ready; nothing is
  restarted for it (PostgreSQL restarting makes every process unready for a few seconds).

Web processes answer on their own port (``saqshy.core.views``); workers, which have no HTTP
server, answer on ``--health-port`` (:func:`serve`), a tiny server in a daemon thread.
Both answer JSON: ``{"status": "ok" | "failing", "process": ..., "pid": ..., "checks": {...}}``.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.conf import settings
from django.db import connections

log = logging.getLogger(__name__)

# A check returns None when it holds, else what is wrong in a few words.
Check = Callable[[], str | None]

STARTED = time.monotonic()


def database() -> str | None:
    """The default database answers a trivial query."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means not ready
        connections["default"].close_if_unusable_or_obsolete()
        return f"database: {type(error).__name__}"
    return None


def redis() -> str | None:
    """The channel layer's Redis answers PING (nothing to check without REDIS_URL)."""
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    import redis as redis_client

    try:
        client = redis_client.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as error:  # any failure means not ready
        return f"redis: {type(error).__name__}"
    return None


class Heartbeat:
    """A worker loop beats once per turn; it is alive while the last beat is recent."""

    def __init__(self, stale_seconds: float = 120.0) -> None:
        self.stale_seconds = stale_seconds
        self._last = time.monotonic()

    def beat(self) -> None:
        self._last = time.monotonic()

    def age(self) -> float:
        return time.monotonic() - self._last

    def check(self) -> str | None:
        age = self.age()
        if age > self.stale_seconds:
            return f"loop: no turn for {age:.0f} s"
        return None


def report(process: str, checks: Mapping[str, Check]) -> tuple[int, dict[str, Any]]:
    """Run ``checks``: HTTP status (200 or 503) and the JSON body."""
    results = {name: check() for name, check in checks.items()}
    failing = any(result is not None for result in results.values())
    body = {
        "status": "failing" if failing else "ok",
        "process": process,
        "pid": os.getpid(),
        "uptime_s": round(time.monotonic() - STARTED, 1),
        "checks": {name: result or "ok" for name, result in results.items()},
    }
    return (503 if failing else 200), body


def serve(
    port: int,
    *,
    process: str,
    alive: Mapping[str, Check],
    ready: Mapping[str, Check],
    host: str = "127.0.0.1",
) -> ThreadingHTTPServer:
    """Answer ``/healthz`` and ``/readyz`` on ``host:port`` from a daemon thread."""
    routes = {"/healthz": alive, "/readyz": {**alive, **ready}}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            checks = routes.get(self.path.split("?")[0])
            if checks is None:
                self.send_error(404)
                return
            try:
                status, body = report(process, checks)
            finally:
                connections.close_all()  # this request thread's own connections
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return  # probes every few seconds would drown the log

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"health:{port}", daemon=True)
    thread.start()
    log.info("%s: health on http://%s:%d/healthz and /readyz", process, host, port)
    return server


def add_argument(parser: Any) -> None:
    """``--health-port``: the port of this worker's ``/healthz`` and ``/readyz`` (none: off)."""
    parser.add_argument(
        "--health-port",
        type=int,
        default=int(os.environ.get("SAQSHY_HEALTH_PORT") or 0) or None,
        help="Answer /healthz and /readyz on this port of 127.0.0.1 (default: "
        "SAQSHY_HEALTH_PORT, else none).",
    )


# --- the web processes' own endpoints (no sign-in: a load balancer asks them) ---


def _json(process: str, checks: Mapping[str, Check]) -> Any:
    from django.http import JsonResponse

    status, body = report(process, checks)
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def healthz(request: Any) -> Any:
    """Alive: this web process answers."""
    return _json("web", {})


def readyz(request: Any) -> Any:
    """Ready: the database answers, and the channel layer's Redis (live pushes) answers."""
    return _json("web", {"database": database, "redis": redis})

"""Repeated reads with the shared read cache off and on, side by side (issue 15).

Starts one uvicorn worker on the given database twice (``SAQSHY_READ_CACHE_SECONDS=0``, then
the cache on), and for each read URL lets ``--clients`` keep-alive clients ask it over and over
for ``--seconds``. Prints requests a second, the server's CPU per request (from ``/proc``, so
the load generator's own CPU is not counted) and p50/p99, with the ratio on/off. The data does
not change during a run: this is the best case of the cache (layers and lists of unchanged
data), not the New Year's Eve mix (``nye_run.py``), where incidents change every second.

    .venv/bin/python benchmarks/read_cache.py \\
        --database-url postgres://postgres@127.0.0.1:5432/saqshy_load

The database needs the demo (``migrate`` + ``load_demo --i-know-this-is-not-production``).
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
URLS = (
    "/api/facilities/?page_size=50",
    "/api/facilities/?format=geojson&page_size=1000&fields=id,kind,display_name,capacity,lat,lon",
    "/api/reports/?page_size=20",
    "/api/incidents/?page_size=50",
)
TOKEN = (
    "from knox.models import AuthToken; from saqshy.accounts.models import User; "
    "print(AuthToken.objects.create(User.objects.get(username='{user}'))[1])"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _hammer(port: int, url: str, token: str, seconds: float, clients: int) -> list[float]:
    times: list[float] = []
    stop = time.monotonic() + seconds
    headers = {"Authorization": f"Token {token}", "Host": "127.0.0.1"}

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            started = time.perf_counter()
            connection.request("GET", url, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{url}: HTTP {response.status}")
            times.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def _measure(env: dict[str, str], token: str, seconds: float, clients: int,
             app: tuple[str, ...] = ("saqshy.asgi:application",), urls: tuple[str, ...] = URLS
             ) -> dict[str, tuple]:  # fmt: skip
    """Start one uvicorn worker serving ``app`` and let ``clients`` ask each of ``urls`` for
    ``seconds``: per URL, requests/s, server CPU ms per request, p50 and p99 ms."""
    port = _free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "uvicorn"), *app, "--app-dir", str(Path(__file__).parent),
         "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        found = {}
        for url in urls:
            _hammer(port, url, token, 1.0, 1)  # warm: imports, pools, the first answer
            before = _cpu_seconds(server.pid)
            started = time.monotonic()
            times = sorted(_hammer(port, url, token, seconds, clients))
            elapsed = time.monotonic() - started
            cpu = _cpu_seconds(server.pid) - before
            found[url] = (
                len(times) / elapsed,
                1000 * cpu / max(len(times), 1),
                1000 * statistics.median(times),
                1000 * times[int(0.99 * (len(times) - 1))],
            )
        return found
    finally:
        server.terminate()
        server.wait(timeout=30)


def prepared(
    parser: argparse.ArgumentParser, seconds: float
) -> tuple[argparse.Namespace, dict[str, str], str]:
    """Parse the common options; the server's environment and a token of ``--user``."""
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--user", default="planner_astana")
    parser.add_argument("--seconds", type=float, default=seconds)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    env = {
        **os.environ, "DEBUG": "false", "SECRET_KEY": os.environ.get("SECRET_KEY", "bench"),
        "ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url, "DB_POOL_SIZE": "16", "LOG_LEVEL": "WARNING",
    }  # fmt: skip
    token = subprocess.run(
        [PY, "manage.py", "shell", "-c", TOKEN.format(user=args.user)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    return args, env, token


def main() -> None:
    args, env, token = prepared(argparse.ArgumentParser(description=__doc__.split("\n\n")[0]), 10)
    off = _measure({**env, "SAQSHY_READ_CACHE_SECONDS": "0"}, token, args.seconds, args.clients)
    on = _measure({**env, "SAQSHY_READ_CACHE_SECONDS": "15"}, token, args.seconds, args.clients)
    print(f"one uvicorn worker, {args.clients} clients, {args.seconds:.0f} s per URL; "
          f"server CPU from /proc")  # fmt: skip
    print("| URL | cache | req/s | server CPU ms/req | p50 ms | p99 ms | req/s on/off |")
    print("|---|---|---|---|---|---|---|")
    for url in URLS:
        for name, row in (("off", off[url]), ("on", on[url])):
            ratio = f"{on[url][0] / off[url][0]:.0f}×" if name == "on" else ""
            print(f"| `{url}` | {name} | {row[0]:.0f} | {row[1]:.1f} | {row[2]:.0f} | "
                  f"{row[3]:.0f} | {ratio} |")  # fmt: skip
    sys.stdout.flush()


if __name__ == "__main__":
    main()

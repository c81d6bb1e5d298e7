"""What one New Year's Eve call costs the web process: CPU, wall time and queries per write.

A call taker's call is four writes through the whole stack (Django's test client, every
middleware, a dispatcher's API token): the new incident, the dispatch of one unit, the close,
and the unit made available again. Each is timed with ``time.process_time`` (this process's
CPU: Django, the driver, the serializers) and counted in SQL statements.

Side by side with another checkout (the machine is noisy; the rounds alternate)::

    git worktree add /tmp/base <commit>
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/saqshy_load \\
        .venv/bin/python benchmarks/write_cost.py --against /tmp/base --rounds 2

The database must hold the Astana demo (``load_demo``); the calls are committed there (they
are closed again, so the demo's picture is unchanged apart from more closed incidents).
``--queries`` prints every statement of one call, to see where they go.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent
STEPS = ("create", "dispatch", "close", "unit available")


def measure(calls: int, warmup: int, show_queries: bool) -> dict[str, Any]:
    """Run inside Django: ``calls`` calls after ``warmup``; per step the medians."""
    from django.db import connection
    from django.test import Client
    from knox.models import AuthToken

    from saqshy.accounts.models import User
    from saqshy.demo.people import DISPATCHERS
    from saqshy.incidents.models import Unit

    user = User.objects.get(username=DISPATCHERS["police-astana"])
    instance, token = AuthToken.objects.create(user)
    units = list(
        Unit.objects.filter(agency__code="police-astana", status="available")
        .order_by("pk")
        .values_list("pk", flat=True)[:10]
    )
    if not units:
        raise SystemExit("no available police unit in Astana: load the demo first")
    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
    statements: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    def write(method: str, path: str, body: dict[str, Any], key: str | None) -> tuple[Any, ...]:
        statements.clear()
        extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        cpu, wall = time.process_time(), time.perf_counter()
        with connection.execute_wrapper(count):
            response = getattr(client, method)(
                path, data=json.dumps(body), content_type="application/json", **extra
            )
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if response.status_code not in (200, 201):
            answer = response.content[:300]
            raise SystemExit(f"{method.upper()} {path}: {response.status_code} {answer!r}")
        return response.json(), cpu * 1000, wall * 1000, len(statements), list(statements)

    samples: dict[str, list[tuple[float, float, int]]] = {step: [] for step in STEPS}
    for n in range(warmup + calls):
        key = uuid.uuid4().hex
        unit = units[n % len(units)]
        body = {"type": "crime", "source": "call_102", "lat": 51.12 + (n % 40) * 0.001,
                "lon": 71.43, "address": f"write cost {key}",
                "description": "write cost"}  # fmt: skip
        done = [write("post", "/api/incidents/", body, key)]
        path = f"/api/incidents/{done[0][0]['id']}"
        done.append(write("post", f"{path}/dispatch/", {"units": [unit]}, f"{key}-d"))
        done.append(write("post", f"{path}/close/", {"resolution": "write cost"}, f"{key}-c"))
        done.append(write("patch", f"/api/units/{unit}/", {"status": "available"}, None))
        if n >= warmup:
            for step, (_, cpu, wall, queries, _sql) in zip(STEPS, done, strict=True):
                samples[step].append((cpu, wall, queries))
        if show_queries and n == warmup:
            for step, found in zip(STEPS, done, strict=True):
                print(f"--- {step}: {found[3]} statements")
                for sql in found[4]:
                    print("   ", sql[:220])
    instance.delete()
    return {
        step: {
            "cpu": statistics.median(s[0] for s in found),
            "wall": statistics.median(s[1] for s in found),
            "queries": statistics.median(s[2] for s in found),
        }
        for step, found in samples.items()
    }


def child(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saqshy.settings")
    os.environ.update(DEBUG="false", SECRET_KEY="write-cost", ALLOWED_HOSTS="127.0.0.1")
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    result = measure(args.calls, args.warmup, args.queries)
    import saqshy

    result["code"] = str(Path(saqshy.__file__).resolve().parent.parent)
    print("RESULT " + json.dumps(result))


def run(repo: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child",
               "--calls", str(args.calls), "--warmup", str(args.warmup)]  # fmt: skip
    done = subprocess.run(command, cwd=repo, capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[7:]))
    raise SystemExit(f"{repo}: no result\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=40, help="measured calls")
    parser.add_argument("--warmup", type=int, default=5, help="calls before measuring")
    parser.add_argument("--rounds", type=int, default=2, help="rounds, alternating versions")
    parser.add_argument("--against", type=Path, help="another checkout to measure in turns")
    parser.add_argument("--queries", action="store_true", help="print one call's statements")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("set DATABASE_URL to a database holding the Astana demo")
    if args.child or args.queries:
        child(args)
        return
    versions = [("this checkout", HERE)] + ([("against", args.against)] if args.against else [])
    print("| version | round | " + " | ".join(STEPS) + " | one call (CPU) | wall | queries |")
    print("|---|---|" + "---|" * (len(STEPS) + 3))
    for round_ in range(1, args.rounds + 1):
        for name, repo in versions:
            result = run(repo, args)
            if Path(result.pop("code")) != repo.resolve():
                raise SystemExit(f"{name}: ran the code of another checkout")
            cells = [f"{result[s]['cpu']:.1f} ms" for s in STEPS]
            total = sum(result[s]["cpu"] for s in STEPS)
            wall = sum(result[s]["wall"] for s in STEPS)
            queries = sum(result[s]["queries"] for s in STEPS)
            totals = f"**{total:.0f} ms** | {wall:.0f} ms | {queries:.0f}"
            print(f"| {name} | {round_} | " + " | ".join(cells) + f" | {totals} |", flush=True)


if __name__ == "__main__":
    main()

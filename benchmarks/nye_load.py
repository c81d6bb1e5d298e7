"""New Year's Eve load profile (locust, headless) against a running Saqshy layout.

Run through ``benchmarks/nye_run.py`` (it prepares the database, starts the layout and the
MQTT sensors, steps the user count and prints the table), or by hand::

    NYE_FIXTURE=var/nye/fixture.json NYE_OUT=var/nye/out .venv/bin/locust \\
        -f benchmarks/nye_load.py --headless -u 300 -r 50 -t 60s \\
        --host http://127.0.0.1:8100 --csv var/nye/out/stats

The fixture (``nye_prepare.py``) holds the sessions, tokens and units; this file imports no
Django (locust monkey-patches with gevent). User classes:

- ``MapUser`` (``NYE_MAPS``, 200): an operator's open map: a WebSocket on ``/ws/situation/``
  that stays connected, pings every 20 s as the map does, reconnects with the map's back-off
  and on every ``hello`` loads the snapshot (every layer, request group ``map snapshot``);
  meanwhile refetches one layer now and then (``map layer``).
- ``IntakeUser`` (``NYE_INTAKE``, 20, one call a second each): a call taker's new incident
  (``Idempotency-Key``), the dispatch of one of its units, the close that frees the unit. A
  failed request is retried with the same key (as a client on a bad network does): every
  call must exist exactly once. The address carries the key, so each map measures
  intake→map: from the start of the POST to the push arriving (``PUSH intake→map``).
- ``PositionUser`` (``NYE_FEEDERS``, 100): units' positions, ``NYE_UNITS`` units (2,000)
  every ``NYE_POSITION_EVERY`` s (5). ``NYE_POSITIONS=mqtt`` (default): from each unit's
  vehicle tracker, ``saqshy/positions/AVL-…/fix`` at QoS 1 to ``NYE_MQTT_URL`` (a fix counts
  as acknowledged on the broker's PUBACK); ``http``: POSTed to the API with
  their agency dispatcher's token, as the simulator sends them.
- ``BrowseUser`` (the rest of ``-u``): planners and analysts on list pages, indicators,
  reports, incident cards and API lists.

At the end it writes ``NYE_OUT/outcome.json``: every call's key, post time, incident id and
how many maps got its push; each unit's last acknowledged position; request failures with
their time; the maps' connects. ``nye_run.py`` and ``nye_faults.py`` read it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gevent
import websocket
from locust import FastHttpUser, between, constant_pacing, events, task

FIXTURE: dict[str, Any] = json.loads(
    Path(os.environ.get("NYE_FIXTURE", "var/nye/fixture.json")).read_text(encoding="utf-8")
)
OUT = Path(os.environ.get("NYE_OUT", "var/nye/out"))
MAPS = int(os.environ.get("NYE_MAPS", "200"))
INTAKE = int(os.environ.get("NYE_INTAKE", "20"))
FEEDERS = int(os.environ.get("NYE_FEEDERS", "100"))
UNITS = int(os.environ.get("NYE_UNITS", "2000"))
POSITION_EVERY = float(os.environ.get("NYE_POSITION_EVERY", "5"))
POSITIONS = os.environ.get("NYE_POSITIONS", "mqtt")
MQTT_URL = os.environ.get("NYE_MQTT_URL", "mqtt://127.0.0.1:1883")
WS_URL = os.environ.get("NYE_WS_URL", "")
"""Where the maps' sockets connect (``ws://host:port``), as a load balancer that sends ``/ws/``
to a pool of its own would; empty: the same host as every request."""
PING_EVERY, PONG_WITHIN = 20.0, 10.0
MARK = "NYE "
GEOJSON = "application/geo+json, application/json"

calls: dict[str, dict[str, Any]] = {}
"""Idempotency key → {"posted": epoch of the first try, "id": incident id, "seen": maps}."""
positions: dict[int, dict[str, Any]] = {}
"""Unit id → its last acknowledged fix."""
failures: list[tuple[float, str, str]] = []
busy: dict[str, int] = {}
"""Request group → answers "this unit is not available" (409), counted apart from failures."""
UNIT_BUSY: dict[str, Any] = {"busy": True}
samples: list[tuple[float, str, float, bool]] = []
"""(time, name, milliseconds, ok) of every request and push."""
connects: list[tuple[float, int]] = []
"""(time, map number) of each hello: the first, and every reconnect."""
counters = itertools.count()
intake_counter = itertools.count()
"""Call takers are numbered apart: each gets its own units (a shared one would answer 409)."""


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Token {token}", "Accept": "application/json"}


@events.request.add_listener
def _record(
    request_type: str, name: str, response_time: float, exception: Any = None, **_kw: Any
) -> None:
    samples.append((time.time(), name, float(response_time), exception is None))
    if exception is not None:
        failures.append((time.time(), f"{request_type} {name}", repr(exception)[:200]))


@events.quitting.add_listener
def _write_outcome(**_kw: Any) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    outcome = {
        "calls": calls,
        "positions": {str(k): v for k, v in positions.items()},
        "failures": failures,
        "unit_busy": busy,
        "connects": connects,
        "maps": MAPS,
        "samples": samples,
    }
    (OUT / "outcome.json").write_text(json.dumps(outcome), encoding="utf-8")


def _fire(name: str, started: float, exception: Exception | None = None) -> None:
    events.request.fire(
        request_type="PUSH", name=name, response_time=(time.time() - started) * 1000,
        response_length=0, exception=exception, context={},
    )  # fmt: skip


class MapUser(FastHttpUser):
    """An open operator map: live socket plus its layer fetches."""

    fixed_count = MAPS
    wait_time = between(20, 40)

    def on_start(self) -> None:
        self.number = next(counters)
        self.session = FIXTURE["sessions"][self.number % len(FIXTURE["sessions"])]
        self.cookie = f"{FIXTURE['session_cookie']}={self.session}"
        self.live = gevent.spawn(self._socket_loop)

    def on_stop(self) -> None:
        self.live.kill(block=False)

    def _get(self, url: str, name: str) -> None:
        """Load a layer as the map does: every page, following ``next``."""
        pages = 0
        while url and pages < 20:
            pages += 1
            with self.client.get(
                url, headers={"Cookie": self.cookie, "Accept": GEOJSON},
                name=name, catch_response=True,
            ) as response:  # fmt: skip
                if response.status_code != 200:
                    response.failure(f"{response.status_code}")
                    return
                try:
                    following = (response.json() or {}).get("next") if response.text else None
                except ValueError:
                    following = None
            url = str(following).split("://", 1)[-1].split("/", 1)[-1] if following else ""
            url = f"/{url}" if url else ""

    def _snapshot(self) -> None:
        for url in FIXTURE["layers"]:
            self._get(url, "read: map snapshot")

    @task
    def refetch_layer(self) -> None:
        self._get(random.choice(FIXTURE["layers"]), "read: map layer")

    def _socket_loop(self) -> None:
        base = WS_URL or str(self.host).replace("http://", "ws://").replace("https://", "wss://")
        retry = 0.5
        while True:
            try:
                ws = websocket.create_connection(
                    f"{base}/ws/situation/", cookie=self.cookie, origin=self.host, timeout=5
                )
            except Exception as error:  # refused, reset, handshake 5xx: back off as the map
                failures.append((time.time(), "WS connect", repr(error)[:200]))
                gevent.sleep(retry * (0.5 + random.random() / 2))
                retry = min(retry * 1.6, 4.0)
                continue
            code = self._listen(ws)
            if code in (4401, 4403):
                failures.append((time.time(), "WS refused", str(code)))
                return
            gevent.sleep(retry * (0.5 + random.random() / 2))
            retry = min(retry * 1.6, 4.0)

    def _listen(self, ws: Any) -> int:
        """Receive until the socket closes or stays silent past a ping; its close code."""
        last_ping = pong_due = 0.0
        ws.settimeout(1.0)
        while True:
            now = time.time()
            if now - last_ping >= PING_EVERY:
                try:
                    ws.send(json.dumps({"type": "ping"}))
                except Exception:
                    return 1006
                last_ping, pong_due = now, now + PONG_WITHIN
            if pong_due and now > pong_due:
                failures.append((now, "WS pong", "no pong within 10 s"))
                ws.close()
                return 1006
            try:
                opcode, raw = ws.recv_data()
            except websocket.WebSocketTimeoutException:
                continue
            except Exception:
                return 1006
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                return int.from_bytes(raw[:2], "big") if len(raw) >= 2 else 1005
            if opcode != websocket.ABNF.OPCODE_TEXT or (
                raw.startswith(b'{"type": "change"') and b'"created"' not in raw
            ):
                # Changes other than creations (unit positions above all, ~100 messages a
                # second per map at the full night) are a browser's to decode: measuring
                # intake→map needs only the created incidents.
                continue
            message = json.loads(raw)
            kind = message.get("type")
            if kind == "hello":
                connects.append((time.time(), self.number))
                gevent.spawn(self._snapshot)
            elif kind == "pong":
                pong_due = 0.0
            elif kind == "change" and message.get("topic") == "incident":
                self._incident(message)

    def _incident(self, message: dict[str, Any]) -> None:
        address = str((message.get("data") or {}).get("address") or "")
        if message.get("op") != "created" or not address.startswith(MARK):
            return
        call = calls.get(address[len(MARK) :])
        if call is not None:
            call["seen"] += 1
            _fire("push: intake→map", call["posted"])


class IntakeUser(FastHttpUser):
    """A call taker: a new incident, a unit sent, the incident closed (the unit is free)."""

    fixed_count = INTAKE
    wait_time = constant_pacing(1.0)

    def on_start(self) -> None:
        self.number = next(intake_counter)
        self.token = FIXTURE["tokens"][FIXTURE["agencies"]["police-astana"]]
        police = [
            u["id"] for u in FIXTURE["units"]
            if u["agency"] == "police-astana" and u["call_sign"].startswith("NYE-")
        ]  # fmt: skip
        self.units = itertools.cycle(police[self.number % INTAKE :: INTAKE] or police[:1])

    def _post(self, path: str, body: dict[str, Any], key: str, name: str) -> Any:
        """POST with the key until it succeeds (or 10 tries); the answer's JSON or None."""
        for attempt in range(10):
            with self.client.post(
                path, json=body, name=name, catch_response=True,
                headers={**_headers(self.token), "Idempotency-Key": key},
            ) as response:  # fmt: skip
                if response.status_code in (200, 201):
                    return response.json()
                if response.status_code == 409 and '"unit_unavailable"' in (response.text or ""):
                    # A correct answer: the unit is still on its way back from a call cut
                    # off when the previous step ended. The call taker sends another unit.
                    response.success()
                    busy[name] = busy.get(name, 0) + 1
                    return UNIT_BUSY
                response.failure(f"{response.status_code} {(response.text or '')[:120]}")
                if response.status_code in (400, 403, 404, 409, 422):
                    return None
            gevent.sleep(min(0.5 * 1.6**attempt, 4.0))
        return None

    @task
    def call(self) -> None:
        key = uuid.uuid4().hex
        calls[key] = {"posted": time.time(), "id": None, "seen": 0}
        body = {
            "type": random.choice(["crime", "other"]), "source": "call_102",
            "lat": round(51.08 + random.random() * 0.12, 6),
            "lon": round(71.35 + random.random() * 0.15, 6),
            "address": f"{MARK}{key}", "description": "New Year's Eve load test",
        }  # fmt: skip
        created = self._post("/api/incidents/", body, key, "write: intake create")
        if not created:
            return
        calls[key]["id"] = created["id"]
        sent: Any = UNIT_BUSY
        for attempt in range(INTAKE + 1):
            if sent is not UNIT_BUSY:
                break
            unit = next(self.units)
            sent = self._post(
                f"/api/incidents/{created['id']}/dispatch/", {"units": [unit]},
                f"{key}-d{attempt}", "write: intake dispatch",
            )  # fmt: skip
        if not sent or sent is UNIT_BUSY:
            return
        self._post(
            f"/api/incidents/{created['id']}/close/", {"resolution": "load test"},
            f"{key}-c", "write: intake close",
        )  # fmt: skip
        # Closing sends the unit home (returning); back at the station it is available again.
        with self.client.patch(
            f"/api/units/{unit}/", json={"status": "available"}, name="write: unit available",
            headers=_headers(self.token), catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 200:
                response.failure(f"{response.status_code} {(response.text or '')[:120]}")


class PositionUser(FastHttpUser):
    """Some of the units, each sending its position every ``POSITION_EVERY`` seconds."""

    fixed_count = FEEDERS

    def on_start(self) -> None:
        self.number = next(counters)
        mine = [
            u
            for k, u in enumerate(FIXTURE["units"][:UNITS])
            if k % FEEDERS == self.number % FEEDERS
        ]
        self.units = itertools.cycle(mine)
        self.per_unit = max(len(mine), 1)
        self.tokens = {code: FIXTURE["tokens"][name] for code, name in FIXTURE["agencies"].items()}
        self.mqtt = _TrackerLink(f"nye-avl-{self.number}") if POSITIONS == "mqtt" else None

    def on_stop(self) -> None:
        if self.mqtt is not None:
            self.mqtt.close()

    def wait_time(self) -> float:  # pacing: each unit once every POSITION_EVERY s
        return POSITION_EVERY / self.per_unit

    @task
    def position(self) -> None:
        unit = next(self.units)
        fix = {
            "lat": round(51.08 + random.random() * 0.12, 6),
            "lon": round(71.35 + random.random() * 0.15, 6),
            "at": dt.datetime.now(dt.UTC).isoformat(),
        }
        if self.mqtt is not None:
            self.mqtt.send(unit, fix)
            return
        with self.client.post(
            f"/api/units/{unit['id']}/position/", json=fix, name="write: unit position",
            headers=_headers(self.tokens[unit["agency"]]), catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 200:
                positions[unit["id"]] = fix
            else:
                response.failure(f"{response.status_code}")


class _TrackerLink:
    """The vehicle trackers of one feeder: a paho client publishing fixes at QoS 1. A fix
    counts as acknowledged (``positions``) on the broker's PUBACK: from then on the broker
    holds it for the consumers' persistent sessions until one has stored it."""

    def __init__(self, client_id: str) -> None:
        import paho.mqtt.client as mqtt

        url = urlsplit(MQTT_URL)
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=f"{client_id}-{uuid.uuid4().hex[:6]}"
        )
        self.client.max_inflight_messages_set(1000)
        self.waiting: dict[int, tuple[float, int, dict[str, Any]]] = {}
        self.client.on_publish = self._acked
        self.client.connect(url.hostname or "127.0.0.1", url.port or 1883, keepalive=30)
        self.client.loop_start()

    def send(self, unit: dict[str, Any], fix: dict[str, Any]) -> None:
        body = {
            "id": uuid.uuid4().hex[:16],
            "time": fix["at"],
            "lat": fix["lat"],
            "lon": fix["lon"],
        }
        info = self.client.publish(
            f"saqshy/positions/{unit['tracker']}/fix", json.dumps(body), qos=1
        )
        if info.rc != 0:
            events.request.fire(
                request_type="MQTT", name="write: tracker fix", response_time=0,
                response_length=0, exception=RuntimeError(f"publish rc {info.rc}"), context={},
            )  # fmt: skip
            return
        self.waiting[info.mid] = (time.time(), unit["id"], fix)

    def _acked(self, _client: Any, _userdata: Any, mid: int, _reason: Any, _props: Any) -> None:
        sent = self.waiting.pop(mid, None)
        if sent is None:
            return
        began, unit_id, fix = sent
        positions[unit_id] = fix
        _fire("write: tracker fix", began)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


class BrowseUser(FastHttpUser):
    """A planner or analyst: list pages, indicators, reports, cards, API lists."""

    wait_time = between(1, 3)

    def on_start(self) -> None:
        name = random.choice(["planner_astana", "analyst", "head_astana"])
        self.token = FIXTURE["tokens"][name]
        self.cookie = f"{FIXTURE['session_cookie']}={random.choice(FIXTURE['sessions'])}"
        # A browser keeps the CSRF cookie its first page sets, and sends it from then on.
        response = self.client.get(FIXTURE["pages"][0], headers={"Cookie": self.cookie},
                                   name="read: browse page")  # fmt: skip
        csrf = FIXTURE.get("csrf_cookie", "csrftoken")
        headers: Any = response.headers or {}
        set_cookie = str(headers.get("Set-Cookie") or "")
        found = re.search(rf"(?:^|[,;\s]){csrf}=([^;,\s]+)", set_cookie)
        if found:
            self.cookie += f"; {csrf}={found.group(1)}"

    @task(2)
    def page(self) -> None:
        url = random.choice(FIXTURE["pages"])
        with self.client.get(
            url, headers={"Cookie": self.cookie}, name="read: browse page", catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")

    @task(3)
    def api_list(self) -> None:
        url = random.choice(FIXTURE["lists"])
        with self.client.get(
            url, headers=_headers(self.token), name="read: browse api", catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")

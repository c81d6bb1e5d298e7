"""The simulators' HTTP client: a small JSON client for the Saqshy API with token auth
(standard library only), signing in, and waiting for the server to answer."""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.utils.translation import get_language

log = logging.getLogger("saqshy.demo.simulator")


class ServerGone(Exception):
    """The server did not answer (connection refused, reset or timed out)."""


class Api:
    """A small JSON client for the Saqshy API with token auth (standard library only).

    With ``exercise`` every request says ``X-Saqshy-Exercise: 1``: what it creates on the
    server is an exercise record (docs/exercise.md)."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        timeout: float = 15.0,
        *,
        exercise: bool = False,
    ) -> None:
        self.base = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.exercise = exercise

    def call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
    ) -> tuple[int, Any]:
        url = f"{self.base}{path}"
        if params:
            url = f"{url}?{urllib.parse.urlencode(params, doseq=True)}"
        data = json.dumps(body).encode("utf-8") if body is not None else None
        # The operator's language: the texts the simulator types and the server's answers.
        headers = {"Accept": "application/json", "Accept-Language": get_language() or "en"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if self.exercise:
            headers["X-Saqshy-Exercise"] = "1"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read()
                status = int(response.status)
        except urllib.error.HTTPError as error:
            raw, status = error.read(), int(error.code)
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
            raise ServerGone(str(error)) from error
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw[:200].decode("utf-8", "replace")
        return status, payload

    def all_pages(self, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = []
        page = 1
        while True:
            status, payload = self.call("GET", path, params={**params, "page": page})
            if status != 200 or not isinstance(payload, dict):
                log.warning("GET %s: %s %s", path, status, payload)
                return results
            results.extend(payload.get("results", []))
            if not payload.get("next"):
                return results
            page += 1


def sign_in(base_url: str, username: str, password: str, *, exercise: bool = False) -> Api:
    status, payload = Api(base_url).call(
        "POST", "/api/auth/token/", {"username": username, "password": password}
    )
    if status != 200 or not isinstance(payload, dict) or "token" not in payload:
        raise RuntimeError(f"cannot sign in as {username}: {status} {payload}")
    return Api(base_url, str(payload["token"]), exercise=exercise)


def wait_for_server(base_url: str, timeout: float) -> bool:
    """Poll the server until it answers (any HTTP status) or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    api = Api(base_url, timeout=2.0)
    while time.monotonic() < deadline:
        try:
            api.call("GET", "/api/")
            return True
        except ServerGone:
            time.sleep(1.0)
    return False

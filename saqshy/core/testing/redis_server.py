"""The machine's Redis for tests that use it (``shared_redis_url``), and a Redis of its own for
tests and benchmarks that restart it (``OwnRedis``).

Started as production runs it, without persistence (``--save ""``, no append-only file): a
restart loses everything, the channel layer's group memberships included.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from saqshy.core.testing.live import free_port

SHARED_REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def shared_redis_url() -> str:
    """The running Redis tests may use (``REDIS_TEST_URL``); the test is skipped where none
    answers, and fails in CI, which must run it."""
    import redis

    try:
        up = bool(redis.Redis.from_url(SHARED_REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        up = False
    if not up:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not answering at {SHARED_REDIS_URL}; CI must run this test")
        pytest.skip(reason=f"no Redis server at {SHARED_REDIS_URL} (not running on this machine)")
    return SHARED_REDIS_URL


def redis_binary() -> str | None:
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )


class OwnRedis:
    """A ``redis-server`` on a free port of 127.0.0.1; :meth:`restart` starts it empty."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = redis_binary()
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        for _ in range(200):
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None

    def restart(self) -> float:
        """Stop and start again (empty); the seconds it took."""
        began = time.monotonic()
        self.stop()
        self.start()
        return time.monotonic() - began

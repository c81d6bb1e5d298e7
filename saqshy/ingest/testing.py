"""A Mosquitto of one's own, for tests and benchmarks that must restart the broker.

The machine's broker is shared (other consumers, the demo), so a test that restarts a broker
starts one in a temporary folder on a free port: persistence on (a SIGTERM writes the
persistence file, the next start reads it) and queues unbounded (``max_queued_messages 0``:
Mosquitto's default of 1,000 per session drops QoS 1 messages for a consumer that is away,
which would be counted as lost).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from saqshy.core.testing.live import free_port


def mosquitto_binary() -> str | None:
    """The ``mosquitto`` executable, or None where it is not installed."""
    return shutil.which("mosquitto") or (
        "/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else None
    )


def port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until(check: Callable[[], bool], timeout: float, every: float = 0.1) -> bool:
    """Poll ``check`` until it holds or ``timeout`` seconds pass; its last answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return bool(check())


class OwnBroker:
    """A Mosquitto in ``folder`` on a free port of 127.0.0.1; :meth:`restart` keeps its state."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:  # Mosquitto started as root runs as its own user
            folder.parent.chmod(0o755)
            with contextlib.suppress(LookupError):
                shutil.chown(folder, "mosquitto")
        self.port = free_port()
        self.config = folder / "mosquitto.conf"
        self.config.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\n"
            f"persistence true\npersistence_location {folder}/\n"
            "max_queued_messages 0\nmax_inflight_messages 100\n"
            f"log_dest file {folder}/mosquitto.log\n"
        )
        self.process: subprocess.Popen[bytes] | None = None
        self.url = f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = mosquitto_binary()
        if binary is None:
            raise RuntimeError("mosquitto is not installed")
        self.process = subprocess.Popen([binary, "-c", str(self.config)])  # noqa: S603
        if not wait_until(lambda: port_open("127.0.0.1", self.port), 10):
            raise RuntimeError(f"mosquitto did not start on {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: Mosquitto writes its persistence file
            self.process.wait(10)
        self.process = None

    def restart(self) -> float:
        """Stop (saving its state) and start again; the seconds it took."""
        began = time.monotonic()
        self.stop()
        self.start()
        return time.monotonic() - began

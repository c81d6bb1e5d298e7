"""``python -m saqshy.core.respawn COMMAND...``: run a command and start it again when it dies.

The production layout's supervisor for one process (the ``Procfile``'s consumers and
workers): honcho, like foreman, stops the whole layout when any process exits, while a
consumer killed or crashed must come back on its own under the same name (its broker session
holds what it had not acknowledged). This restarts the command after it exits for any reason
other than being told to stop, waiting a little longer after each quick failure (1 s doubling
to 30 s; back to 1 s once it has run for a minute), and logs every restart. SIGTERM and SIGINT
are passed to the command and end the loop. systemd's ``Restart=always`` does the same on a
real machine (docs/deployment.md).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from types import FrameType

STABLE_SECONDS = 60.0
FIRST_PAUSE, LONGEST_PAUSE = 1.0, 30.0


def next_pause(pause: float, ran_for: float) -> float:
    """How long to wait before the next start, after a run of ``ran_for`` seconds."""
    if ran_for >= STABLE_SECONDS:
        return FIRST_PAUSE
    return min(LONGEST_PAUSE, pause * 2)


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m saqshy.core.respawn COMMAND [ARG...]", file=sys.stderr)
        return 2
    stopping = False
    child: subprocess.Popen[bytes] | None = None

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    pause = FIRST_PAUSE / 2
    starts = 0
    code = 0
    while not stopping:
        started = time.monotonic()
        starts += 1
        child = subprocess.Popen(argv)  # noqa: S603 - the operator's own command line
        code = child.wait()
        if stopping:
            break
        ran_for = time.monotonic() - started
        pause = next_pause(pause, ran_for)
        print(
            f"respawn: {argv[0]} exited with {code} after {ran_for:.1f} s "
            f"(start {starts}); starting again in {pause:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        deadline = time.monotonic() + pause
        while not stopping and time.monotonic() < deadline:
            time.sleep(0.1)
    return code if code >= 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

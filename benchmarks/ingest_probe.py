"""A handler that appends the message ids it is called with to a file: double calls show.

Registered for the kinds in ``SAQSHY_BENCH_PROBE_KINDS`` (default ``alarm``).

Loaded only in the ingest benchmark's consumers (``benchmarks/ingest_settings.py``): one file
per process in ``SAQSHY_BENCH_PROBE`` with a line ``<message id>`` per message handed to a
handler. A message id on two lines (in one file or two) is a handler invoked twice for one
stored message, which the unique constraint on stored messages cannot show.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig


def record(messages: Sequence[Any], *, acting_user: Any) -> None:
    folder = os.environ.get("SAQSHY_BENCH_PROBE")
    if not folder or not messages:
        return
    with (Path(folder) / f"{os.getpid()}.log").open("a", encoding="ascii") as out:
        out.write("".join(f"{message.message_id}\n" for message in messages))


class ProbeConfig(AppConfig):
    name = "benchmarks.ingest_probe"
    label = "ingest_probe"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from saqshy.ingest.choices import MessageKind
        from saqshy.ingest.handlers import register

        kinds = os.environ.get("SAQSHY_BENCH_PROBE_KINDS", "alarm").split(",")
        for kind in MessageKind.DEVICE_EVENTS:
            if kind in kinds:
                register(kind, record)

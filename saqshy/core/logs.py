"""Structured logs: one JSON object per line, carrying the request id.

``LOG_FORMAT=json`` (the production layout sets it) turns every log line of every process into
JSON with the time (UTC, ISO 8601), level, logger, message, process name and pid, and the id
of the request or command being served (``saqshy.core.context``): the same id the response
echoes in ``X-Request-ID`` and the audit trail records, so one request can be followed from
the proxy's log through the application's to the audit entry it wrote. No Django import: the
gunicorn configuration uses it before Django starts.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from typing import Any

from saqshy.core.context import current_request_id

# The attributes every LogRecord has; anything else was passed with ``extra=`` and is kept.
# (uvicorn's ``color_message`` repeats the message with terminal colours.)
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "color_message",
}


def process_name() -> str:
    """What this process is in the layout (``SAQSHY_PROCESS``, else the command it runs)."""
    named = os.environ.get("SAQSHY_PROCESS")
    if named:
        return named
    argv = sys.argv
    if len(argv) > 1 and argv[0].endswith("manage.py"):
        return argv[1]
    return os.path.basename(argv[0]) if argv else "python"


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` and ``process_name`` to every record (for text formats too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id() or "-"
        record.process_name = process_name()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": getattr(record, "process_name", None) or process_name(),
            "pid": record.process,
            "request_id": getattr(record, "request_id", None) or current_request_id() or None,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and key != "process_name":
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configuration(level: str, fmt: str) -> dict[str, Any]:
    """The ``LOGGING`` dict for ``LOG_FORMAT`` ``text`` (default) or ``json``."""
    formatter: dict[str, Any] = (
        {"()": "saqshy.core.logs.JsonFormatter"} if fmt == "json" else {"format": "%(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "saqshy.core.logs.RequestIdFilter"}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
    }

"""Per-request context that services read without threading it through every call."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("saqshy_request_id", default="")


def new_request_id(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex}"


# A client's X-Request-ID is kept only in this shape (it goes into logs and the audit trail);
# anything else gets a fresh id.
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_id_from(incoming: str) -> str:
    """The id of a request that arrived with ``X-Request-ID: incoming`` (possibly empty)."""
    return incoming if _SAFE_ID.fullmatch(incoming) else new_request_id()


def current_request_id() -> str:
    """The id of the HTTP request or command being served; empty outside of one."""
    return _request_id.get()


def set_request_id(value: str) -> object:
    return _request_id.set(value)


def reset_request_id(token: object) -> None:
    _request_id.reset(token)  # type: ignore[arg-type]


# Set while a request or command works as an exercise (``X-Saqshy-Exercise: 1``, an API
# create's ``is_exercise``, a command's ``--exercise``): the records it creates are exercise
# records (docs/exercise.md).
_exercise: ContextVar[bool] = ContextVar("saqshy_exercise", default=False)


def exercise_active() -> bool:
    """Whether the request or command being served creates exercise records."""
    return _exercise.get()


@contextmanager
def exercise(enabled: bool = True) -> Iterator[None]:
    """Within the block, the records services create are exercise records (when ``enabled``;
    ``exercise(False)`` leaves the surrounding state as it is)."""
    if not enabled:
        yield
        return
    token = _exercise.set(True)
    try:
        yield
    finally:
        _exercise.reset(token)


def marked_exercise(explicit: bool | None = None) -> bool:
    """What a new record's ``is_exercise`` is: ``explicit`` (a parent's flag, a device's
    message) or else the surrounding exercise; a parent's exercise is never undone."""
    return bool(explicit) or exercise_active()

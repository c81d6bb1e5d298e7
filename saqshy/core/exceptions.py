"""Domain refusals that are not bad input but a state conflict (HTTP 409)."""

from __future__ import annotations

from typing import Any


class Conflict(Exception):
    """The request is valid but the record's state does not allow it.

    ``detail`` is a translated sentence for people; ``code`` a stable machine word;
    ``extra`` any structured explanation (e.g. the failing approval gates).
    """

    def __init__(self, detail: str, *, code: str = "conflict", **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code
        self.extra = extra

    def as_dict(self) -> dict[str, Any]:
        return {"detail": self.detail, "code": self.code, **self.extra}


class PreconditionFailed(Conflict):
    """The caller's copy is stale: the record changed since they read it (HTTP 412).

    Raised when an ``If-Match`` header or a form's hidden version names another version than
    the one stored; ``current`` carries the stored version so a client can re-read and retry.
    """

    def __init__(self, detail: str, *, current: str, **extra: Any) -> None:
        super().__init__(detail, code="stale", current_version=current, **extra)

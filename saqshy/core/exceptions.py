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

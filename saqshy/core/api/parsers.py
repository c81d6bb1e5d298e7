"""A JSON parser that refuses what would otherwise crash a view, with a 400 naming the field.

Python's ``json`` recurses once per bracket: tens of thousands of nested brackets exhaust the
stack (``RecursionError``, a 500), and a few hundred still make every later recursive step
(validation, storing a JSON field, rendering) fragile. No request of ours nests deeper than a
few levels. A NUL character in any string (a key too) is refused as well: PostgreSQL cannot
store or compare such text, and a related-field lookup would fail there with a 500.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser as BaseJSONParser

from saqshy.core.middleware import NULL_NOT_ALLOWED, refusal

MAX_DEPTH = 64
TOO_DEEP = _("JSON nested deeper than %(limit)s levels.")


def check(value: Any) -> None:
    """Raise for nesting deeper than ``MAX_DEPTH`` or a string refused at the edge (a NUL, an
    impossible UTC offset; see ``core.middleware.refusal``), iteratively."""
    stack: list[tuple[Any, int, str]] = [(value, 0, "non_field_errors")]
    while stack:
        item, depth, field = stack.pop()
        if isinstance(item, str):
            reason = refusal(item)
            if reason is not None:
                raise ValidationError({field: [reason]})
            continue
        if isinstance(item, dict):
            children: list[tuple[Any, str]] = []
            for key, child in item.items():
                name = key.replace("\x00", "") if depth == 0 else field
                if "\x00" in key:
                    raise ValidationError({name or "non_field_errors": [NULL_NOT_ALLOWED]})
                children.append((child, name))
        elif isinstance(item, list):
            children = [(child, field) for child in item]
        else:
            continue
        if depth + 1 > MAX_DEPTH:
            raise ParseError(str(TOO_DEEP) % {"limit": MAX_DEPTH})
        stack.extend((child, depth + 1, name) for child, name in children)


class JSONParser(BaseJSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(str(TOO_DEEP) % {"limit": MAX_DEPTH}) from exc
        check(data)
        return data

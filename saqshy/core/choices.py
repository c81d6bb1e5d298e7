"""Choice sets: a stored value, a translated label and a display colour, in one table.

Every enumerated field in Saqshy uses a ChoiceSet so the API, forms, tables and the map legend
agree on the same labels and colours.
"""

from __future__ import annotations

from typing import ClassVar

from django.utils.functional import Promise

Label = str | Promise


class ChoiceSet:
    """Subclasses set ``CHOICES = [(value, label, colour), ...]`` and one constant per value."""

    CHOICES: ClassVar[list[tuple[str, Label, str]]] = []
    # The state machine, for status choice sets: each named transition and the values it may
    # start from and the value it reaches. ``core.services.transition`` enforces it under a
    # row lock; anything not listed is refused with 409.
    TRANSITIONS: ClassVar[dict[str, tuple[tuple[str, ...], str]]] = {}

    @classmethod
    def targets(cls, current: str) -> tuple[str, ...]:
        """The values reachable from ``current`` in one transition, in declaration order."""
        found: list[str] = []
        for sources, target in cls.TRANSITIONS.values():
            if current in sources and target not in found:
                found.append(target)
        return tuple(found)

    @classmethod
    def transition_to(cls, current: str, target: str) -> str | None:
        """The name of the transition from ``current`` to ``target``, or None if none is."""
        for name, (sources, reached) in cls.TRANSITIONS.items():
            if current in sources and reached == target:
                return name
        return None

    @classmethod
    def choices(cls) -> list[tuple[str, Label]]:
        return [(value, label) for value, label, _colour in cls.CHOICES]

    @classmethod
    def values(cls) -> list[str]:
        return [value for value, _label, _colour in cls.CHOICES]

    @classmethod
    def label(cls, value: str) -> Label:
        for choice, label, _colour in cls.CHOICES:
            if choice == value:
                return label
        return value

    @classmethod
    def colour(cls, value: str) -> str:
        for choice, _label, colour in cls.CHOICES:
            if choice == value:
                return colour
        return "#777777"

    @classmethod
    def legend(cls) -> list[dict[str, str]]:
        """Value, label (in the active language) and colour, for the map legend and the API."""
        return [
            {"value": value, "label": str(label), "colour": colour}
            for value, label, colour in cls.CHOICES
        ]

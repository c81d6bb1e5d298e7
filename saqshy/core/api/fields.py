"""Serializer fields shared by the API's query parameters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)


class CalendarDateField(serializers.DateField):
    """A date between 1900 and 2100: a period that ends in year 9999 is a typing mistake, and
    one day past it does not exist (``OverflowError`` in date arithmetic)."""

    default_error_messages = {
        "out_of_range": _("Give a date between %(earliest)s and %(latest)s."),
    }

    def to_internal_value(self, value: Any) -> dt.date:
        parsed: dt.date = super().to_internal_value(value)
        if not EARLIEST <= parsed <= LATEST:
            self.fail("out_of_range", earliest=EARLIEST.isoformat(), latest=LATEST.isoformat())
        return parsed


def exercise_field() -> serializers.BooleanField:
    """``is_exercise`` on a create endpoint: true makes the new record an exercise record
    (as the ``X-Saqshy-Exercise: 1`` header does); it is read only afterwards."""
    return serializers.BooleanField(
        required=False,
        default=False,
        help_text=str(
            _(
                "Create an exercise record: shown with a badge, never counted in indicators "
                "nor published. Set only when the record is created."
            )
        ),
    )

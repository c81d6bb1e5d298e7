"""Roster exports: iCalendar per person, PDF per post (WeasyPrint), printable patrol sheets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from saqshy.duty import wording
from saqshy.duty.models import Person, Post, Shift

PRODID = "-//Saqshy//duty roster//EN"


def person_calendar(person: Person, shifts: Iterable[Shift]) -> bytes:
    """The person's shifts as an iCalendar file (one VEVENT per shift, UTC times)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    # An X- property is written as is, so a line break in a name would break the file.
    name = " ".join(person.full_name.split())
    calendar.add("x-wr-calname", _("Duty roster: %(name)s") % {"name": name})
    stamp = timezone.now()
    for shift in shifts:
        event = Event()
        event.add("uid", f"shift-{shift.pk}@saqshy")
        event.add("dtstamp", stamp)
        event.add("dtstart", shift.starts_at.astimezone(dt.UTC))
        event.add("dtend", shift.ends_at.astimezone(dt.UTC))
        event.add("summary", _("Duty: %(post)s") % {"post": shift.post.display_name})
        event.add("location", f"{shift.post.lat:.6f}, {shift.post.lon:.6f}")
        event.add("geo", (shift.post.lat, shift.post.lon))
        # The times in the reader's words (dd.mm.yyyy, 24 h, local), beside the UTC fields.
        start = formats.date_format(timezone.localtime(shift.starts_at), "SHORT_DATETIME_FORMAT")
        end = formats.date_format(timezone.localtime(shift.ends_at), "SHORT_DATETIME_FORMAT")
        lines = [f"{start} – {end}"]
        if shift.skill:
            lines.append(_("Serving as: %(skill)s") % {"skill": wording.skill_label(shift.skill)})
        event.add("description", "\n".join(lines))
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def post_roster_days(post: Post, shifts: list[Shift]) -> list[dict[str, Any]]:
    """The post's shifts grouped by local day, for the PDF and the page."""
    days: dict[dt.date, list[Shift]] = {}
    for shift in shifts:
        days.setdefault(timezone.localtime(shift.starts_at).date(), []).append(shift)
    return [{"day": day, "shifts": rows} for day, rows in sorted(days.items())]


def post_pdf(post: Post, shifts: list[Shift]) -> bytes:
    """The post's roster as a PDF (WeasyPrint renders the print template)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = render_to_string(
        "duty/post_roster_print.html",
        {"post": post, "days": post_roster_days(post, shifts), "now": timezone.now()},
    )
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf

"""Small formatting filters for the duty desk pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def duration(seconds: float | None) -> str:
    """Seconds as ``m:ss`` (or ``h:mm:ss``); an em dash for no value."""
    if seconds is None:
        return "—"
    total = round(float(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


@register.filter
def percent(share: float | None) -> str:
    """A share 0–1 as a whole percentage (``57 %``); an em dash for no value."""
    if share is None:
        return "—"
    return f"{round(float(share) * 100)} %"

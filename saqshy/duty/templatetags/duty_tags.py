"""The readiness banner shown on every page (``{% include "duty/readiness_banner.html" %}``)."""

from __future__ import annotations

from typing import Any

from django import template

from saqshy.duty.readiness.queries import banner_levels

register = template.Library()


@register.simple_tag(takes_context=True)
def readiness_levels(context: Any) -> list[Any]:
    """Levels above normal in force now in the signed-in user's regions (briefly cached)."""
    request = context.get("request")
    return banner_levels(getattr(request, "user", None))


@register.filter
def iso_local(value: object) -> object:
    """An ISO timestamp stored in JSON (a run's gaps and changes) as a local datetime."""
    import datetime as dt

    from django.utils import timezone

    if not isinstance(value, str):
        return value
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed


@register.filter
def skill_label(value: str) -> str:
    """A skill code (``heating_fitter``) in the reader's language."""
    from saqshy.duty import wording

    return wording.skill_label(str(value or ""))


@register.filter
def skills_label(value: Any) -> str:
    """A list of skill codes, labelled and joined."""
    from saqshy.duty import wording

    return wording.skills_label(value or [])


@register.filter
def solver_status(value: str) -> str:
    """A solver status (``FEASIBLE``) in planners' words."""
    from saqshy.duty import wording

    return wording.solver_status_label(str(value or ""))

"""Helpers for thin page views: run a service, turn refusals into messages for the user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from saqshy.core.exceptions import Conflict


def run_service(request: HttpRequest, call: Callable[[], Any], success: str) -> Any | None:
    """Call a service; on success flash ``success``; on a refusal flash why and return None."""
    try:
        result = call()
    except Conflict as refusal:
        messages.error(request, refusal.detail)
        for gate in refusal.extra.get("gates", []):
            messages.error(request, f"{gate['label']}: {gate['reason']}")
        return None
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return None
    except PermissionDenied as error:
        messages.error(request, str(error))
        return None
    messages.success(request, success)
    return result

"""The journal lines the incident services write, as message codes (``core.messages``).

Each line is stored as ``code`` + ``params`` on ``JournalEntry`` and rendered in the
reader's language; ``text`` keeps the English rendering for search and old readers.
People's notes have no code: their ``text`` is shown as written.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saqshy.core import messages
from saqshy.incidents.choices import IncidentSource, IncidentStatus, UnitStatus

REPORTED = messages.define(
    "incident.reported", gettext_lazy("Reported: %(type)s."), localized=("type",)
)
POSSIBLE_DUPLICATE = messages.define(
    "incident.possible_duplicate", gettext_lazy("Possible duplicate of incident #%(id)s.")
)
REPORTED_AGAIN = messages.define(
    "incident.reported_again", gettext_lazy("Reported again as incident #%(id)s.")
)
MERGED = messages.define(
    "incident.merged",
    gettext_lazy("Merged into incident #%(id)s as a duplicate; closed."),
)
KEPT_SEPARATE = messages.define(
    "incident.kept_separate",
    gettext_lazy("Kept as a separate incident: not a duplicate of incident #%(id)s."),
)
OTHER_KEPT_SEPARATE = messages.define(
    "incident.other_kept_separate",
    gettext_lazy("Incident #%(id)s is a separate incident, not a duplicate of this one."),
)
STATUS = messages.define(
    "incident.status",
    gettext_lazy("Status: %(old)s → %(new)s."),
    choices={"old": IncidentStatus, "new": IncidentStatus},
    free=("reason",),
)
UNIT_DISPATCHED = messages.define("unit.dispatched", gettext_lazy("Unit %(unit)s dispatched."))
UNIT_RELEASED = messages.define("unit.released", gettext_lazy("Unit %(unit)s released."))
UNIT_STATUS = messages.define(
    "unit.status", gettext_lazy("Unit %(unit)s: %(status)s."), choices={"status": UnitStatus}
)


def _merged_details(params: messages.Params) -> str:
    """What the duplicate's caller said, for the original's journal (one line per fact)."""
    parts = [
        _("Incident #%(id)s merged into this one (reported %(at)s, %(source)s).")
        % {
            "id": params.get("id", ""),
            "at": messages.format_datetime(params["at"]) if params.get("at") else "",
            "source": IncidentSource.label(str(params.get("source", ""))),
        }
    ]
    if params.get("address"):
        parts.append(_("Address: %(address)s.") % {"address": params["address"]})
    if params.get("description"):
        parts.append(_("Description: %(text)s") % {"text": params["description"]})
    if params.get("reporter"):
        parts.append(_("Reporter: %(reporter)s.") % {"reporter": params["reporter"]})
    return "\n".join(parts)


MERGED_DETAILS = messages.define(
    "incident.merged_details",
    gettext_lazy("Incident #%(id)s merged into this one (reported %(at)s, %(source)s)."),
    render_with=_merged_details,
)


def merged_details_params(incident: Any) -> dict[str, Any]:
    return {
        "id": incident.pk,
        "at": incident.reported_at.isoformat(),
        "source": incident.source,
        "address": incident.address or "",
        "description": incident.description or "",
        "reporter": incident.reporter or "",
    }


# --- recognising lines written before codes (the migration's data step) ------------------------

_SIMPLE = (
    REPORTED,
    POSSIBLE_DUPLICATE,
    REPORTED_AGAIN,
    MERGED,
    KEPT_SEPARATE,
    OTHER_KEPT_SEPARATE,
    STATUS,
    UNIT_DISPATCHED,
    UNIT_RELEASED,
    UNIT_STATUS,
)
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
_LANGUAGES = ("en", "ru", "kk")


def _pattern(template: str, tail: bool) -> re.Pattern[str]:
    """A stored line of ``template`` (any parameter values; a free-text tail if ``tail``)."""
    out, last = [], 0
    for match in _PLACEHOLDER.finditer(template):
        out.append(re.escape(template[last : match.start()]))
        out.append(f"(?P<{match.group(1)}>.+?)")
        last = match.end()
    out.append(re.escape(template[last:]))
    return re.compile("".join(out) + (r"(?: (?P<reason>.+))?" if tail else ""), re.S)


def _choice_value(choice_set: Any, label: str) -> str | None:
    for value in choice_set.values():
        if str(choice_set.label(value)) == label:
            return str(value)
    return None


def parse_line(
    text: str, type_names: dict[str, dict[str, str]]
) -> tuple[str, dict[str, Any]] | None:
    """The code and params of an automatic line stored as text (in en, ru or kk, as the old
    services wrote it in the writer's language), or None when it is not recognisable.
    ``type_names`` maps any language's incident type name to its ``localized`` names."""
    text = text.strip()
    for language in _LANGUAGES:
        with translation.override(language):
            for message in _SIMPLE:
                match = _pattern(str(message.template), bool(message.free)).fullmatch(text)
                if match is None:
                    continue
                params: dict[str, Any] = {k: v for k, v in match.groupdict().items() if v}
                if _resolve(message, params, type_names) and _same(message, params, text):
                    return message.code, params
            details = _parse_details(text)
            if details is not None and _same(MERGED_DETAILS, details, text):
                return MERGED_DETAILS.code, details
    return None


def _same(message: messages.Message, params: dict[str, Any], text: str) -> bool:
    """Whether the code renders back to exactly the stored line (else it stays text)."""
    return message.render(params) == text


def _resolve(message: messages.Message, params: dict[str, Any], types: dict[str, Any]) -> bool:
    """Turn matched texts into stored values (ids, choice values, names); False if one fails."""
    for name, choice_set in message.choices.items():
        value = _choice_value(choice_set, params.get(name, ""))
        if value is None:
            return False
        params[name] = value
    if "id" in params:
        if not str(params["id"]).isdigit():
            return False
        params["id"] = int(params["id"])
    for name in message.localized:
        label = params[name]
        params[name] = types.get(label) or dict.fromkeys(_LANGUAGES, label)
    return True


def _parse_details(text: str) -> dict[str, Any] | None:
    lines = text.split("\n")
    head = _pattern(str(MERGED_DETAILS.template), False).fullmatch(lines[0])
    if head is None or not head.group("id").isdigit():
        return None
    source = _choice_value(IncidentSource, head.group("source"))
    try:
        at = dt.datetime.strptime(head.group("at"), "%d.%m.%Y %H:%M")
    except ValueError:
        return None
    if source is None:
        return None
    params: dict[str, Any] = {
        "id": int(head.group("id")),
        "at": timezone.make_aware(at).isoformat(),
        "source": source,
        "address": "",
        "description": "",
        "reporter": "",
    }
    prefixes = {
        "address": _pattern(_("Address: %(address)s."), False),
        "description": _pattern(_("Description: %(text)s"), False),
        "reporter": _pattern(_("Reporter: %(reporter)s."), False),
    }
    for line in lines[1:]:
        for name, pattern in prefixes.items():
            found = pattern.fullmatch(line)
            if found and not params[name]:
                params[name] = next(v for v in found.groupdict().values() if v)
                break
    return params

"""The names the duty services generate for posts, as message codes (``core.messages``).

A derived post stores ``name_code`` + ``name_params`` and is shown in the reader's language;
``name`` keeps the English rendering (search, sorting, old readers). Posts made by hand and
event posts (named after their event) have no code: their ``name`` is shown as written.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from saqshy.core import messages

SITE = messages.define("post.site", gettext_lazy("%(site)s"), localized=("site",))
REPAIR_CREW = messages.define(
    "post.repair_crew", gettext_lazy("Repair crew: %(site)s"), localized=("site",)
)
HOTSPOT = messages.define("post.hotspot", gettext_lazy("Hotspot %(cell)s"))
PATROLS_FROM = messages.define(
    "patrolplan.from", gettext_lazy("Patrols from %(when)s"), datetimes=("when",)
)


def parse_name(name: str) -> tuple[str, dict[str, Any]] | None:
    """The code and params of a generated name stored as text (any of en/ru/kk), else None."""
    for language in ("en", "ru", "kk"):
        with translation.override(language):
            for message in (REPAIR_CREW, HOTSPOT):
                template = re.escape(str(message.template))
                for field in ("site", "cell"):
                    template = template.replace(re.escape(f"%({field})s"), f"(?P<{field}>.+)")
                match = re.fullmatch(template, name)
                if match:
                    params: dict[str, Any] = match.groupdict()
                    if "site" in params:
                        params["site"] = dict.fromkeys(("kk", "ru", "en"), params["site"])
                    return message.code, params
    return None


def parse_patrol_plan_name(name: str) -> tuple[str, dict[str, Any]] | None:
    """The code and params of a patrol plan's generated name ("Patrols from 31.12.2026
    18:00", any of en/ru/kk, local time), else None."""
    for language in ("en", "ru", "kk"):
        with translation.override(language):
            template = re.escape(str(PATROLS_FROM.template)).replace(
                re.escape("%(when)s"), r"(?P<when>\d\d\.\d\d\.\d{4} \d\d:\d\d)"
            )
        match = re.fullmatch(template, name)
        if match:
            when = dt.datetime.strptime(match.group("when"), "%d.%m.%Y %H:%M")
            return PATROLS_FROM.code, {"when": timezone.make_aware(when).isoformat()}
    return None

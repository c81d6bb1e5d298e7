"""The names the duty services generate for posts, as message codes (``core.messages``).

A derived post stores ``name_code`` + ``name_params`` and is shown in the reader's language;
``name`` keeps the English rendering (search, sorting, old readers). Posts made by hand and
event posts (named after their event) have no code: their ``name`` is shown as written.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy

from saqshy.core import messages

SITE = messages.define("post.site", gettext_lazy("%(site)s"), localized=("site",))
REPAIR_CREW = messages.define(
    "post.repair_crew", gettext_lazy("Repair crew: %(site)s"), localized=("site",)
)
HOTSPOT = messages.define("post.hotspot", gettext_lazy("Hotspot %(cell)s"))


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

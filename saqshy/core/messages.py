"""Generated texts stored as a message code and parameters, rendered in the reader's language.

A line the system writes for people (an incident's journal line, a derived post's name) is
stored as ``code`` plus JSON ``params`` and rendered when it is shown, so a Kazakh reader sees
Kazakh and a Russian reader Russian whatever the writer's language was. Each code is defined
once, next to the service that writes it, with its English template (a ``gettext_lazy``
msgid, translated in the .po files) and how each parameter is rendered:

* ``choices``: parameters that hold a stored choice value, shown as the choice set's label;
* ``datetimes``: ISO timestamps, shown as ``dd.mm.yyyy HH:MM`` in the local time zone;
* ``localized``: a record's name in each language (``{"kk": …, "ru": …, "en": …}``), shown
  in the reader's language (``localized_name`` builds it);
* ``free``: a person's free text appended after the line as it was written (a reason).

The contract for other clients (API, live push): ``code`` and ``params`` as stored, plus
``text`` rendered in the request's language. An unknown code renders its ``fallback`` (the
English text stored beside it) so an old row never shows nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.functional import Promise

Params = Mapping[str, Any]


@dataclass(frozen=True)
class Message:
    """One kind of generated text: its code, English template and parameter renderers."""

    code: str
    template: str | Promise
    choices: Mapping[str, Any] = field(default_factory=dict)
    datetimes: tuple[str, ...] = ()
    localized: tuple[str, ...] = ()
    free: tuple[str, ...] = ()
    render_with: Callable[[Params], str] | None = None

    def values(self, params: Params) -> dict[str, Any]:
        """The parameters as they are shown: choice labels and dates in the active language."""
        values: dict[str, Any] = dict(params)
        for name, choice_set in self.choices.items():
            if name in values:
                values[name] = str(choice_set.label(values[name]))
        for name in self.datetimes:
            if values.get(name):
                values[name] = format_datetime(values[name])
        for name in self.localized:
            if isinstance(values.get(name), Mapping):
                values[name] = pick_language(values[name])
        return values

    def text(self, **params: Any) -> Coded:
        """This message with ``params`` as a string (its English rendering) that still
        carries its code and params, for a field stored as code + params."""
        return Coded(english(self.code, params), self.code, params)

    def render(self, params: Params) -> str:
        if self.render_with is not None:
            return self.render_with(params)
        values = self.values(params)
        try:
            text = str(self.template) % values
        except (KeyError, TypeError, ValueError):
            text = str(self.template)
        extra = [str(params[name]).strip() for name in self.free if str(params.get(name) or "")]
        return " ".join([text, *[e for e in extra if e]])


class Coded(str):
    """A generated text: its English rendering as the string value, with ``code`` and
    ``params`` to store beside it (``Message.text`` makes one)."""

    code: str
    params: dict[str, Any]

    def __new__(cls, value: str, code: str, params: Params) -> Coded:
        made = super().__new__(cls, value)
        made.code = code
        made.params = dict(params)
        return made


def coded(text: str) -> tuple[str, dict[str, Any]]:
    """(code, params) of a text made by ``Message.text``; ("", {}) for any other string."""
    if isinstance(text, Coded):
        return text.code, text.params
    return "", {}


_REGISTRY: dict[str, Message] = {}


def define(
    code: str,
    template: str | Promise,
    *,
    choices: Mapping[str, Any] | None = None,
    datetimes: tuple[str, ...] = (),
    localized: tuple[str, ...] = (),
    free: tuple[str, ...] = (),
    render_with: Callable[[Params], str] | None = None,
) -> Message:
    """Declare a message code (once, at import of the module that writes it)."""
    message = Message(code, template, dict(choices or {}), datetimes, localized, free, render_with)
    existing = _REGISTRY.get(code)
    if existing is not None and existing.template != template:
        raise ValueError(f"message code {code!r} is defined twice")
    _REGISTRY[code] = message
    return message


def get(code: str) -> Message | None:
    return _REGISTRY.get(code)


def codes() -> list[str]:
    """Every defined code (for the translation-completeness test)."""
    return sorted(_REGISTRY)


def render(
    code: str, params: Params | None, fallback: str = "", language: str | None = None
) -> str:
    """``code`` with ``params`` in the active language (or ``language``); ``fallback`` when
    the code is empty or unknown."""
    message = _REGISTRY.get(code) if code else None
    if message is None:
        return fallback
    if language is None:
        return message.render(params or {})
    with translation.override(language):
        return message.render(params or {})


def english(code: str, params: Params | None) -> str:
    """The English rendering, stored beside the code for search, the admin and old readers."""
    return render(code, params, language="en")


def format_datetime(value: str | dt.datetime) -> str:
    """``dd.mm.yyyy HH:MM`` in the local time zone (the formats of every language agree)."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def localized_name(record: Any) -> dict[str, str]:
    """A record's ``name_kk``/``name_ru``/``name_en`` (or ``name``) as a ``localized`` param."""
    plain = str(getattr(record, "name", "") or "")
    names = {lang: str(getattr(record, f"name_{lang}", "") or "") for lang in ("kk", "ru", "en")}
    return {lang: text or plain for lang, text in names.items()}


def pick_language(names: Mapping[str, Any]) -> str:
    """The reader's language from a ``localized`` param, else any filled one."""
    language = (translation.get_language() or "en")[:2]
    for lang in (language, "en", "ru", "kk"):
        if names.get(lang):
            return str(names[lang])
    return ""


def in_each_language(make: Callable[[], Any]) -> dict[str, str]:
    """``make()`` rendered under each interface language, as a ``localized`` param (for a
    name built from translated parts, e.g. "Water utility #440")."""
    names = {}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            names[language] = str(make())
    return names

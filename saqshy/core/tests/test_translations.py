"""Every visible string is translated into Kazakh and Russian, with its placeholders intact."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[2] / "locale"
# An app may carry its own catalogue (``saqshy/<app>/locale``); Django reads both.
APP_LOCALES = sorted(LOCALE.parent.glob("*/locale"))
CATALOGUES = [
    pytest.param(language, locale, id=f"{language}-{locale.parent.name}")
    for locale in [LOCALE, *APP_LOCALES]
    for language in ("kk", "ru")
]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def _entries(po: Path) -> list[tuple[str, list[str], str]]:
    """(msgid, msgstrs, flags) for each entry of a .po file, header excluded."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        current, fields = "", {}
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            strs = [v for k, v in fields.items() if k.startswith("msgstr")]
            entries.append((fields["msgid"], strs, flags))
    return entries


@pytest.mark.parametrize(("language", "locale"), CATALOGUES)
def test_catalogue_is_complete(language: str, locale: Path) -> None:
    po = locale / language / "LC_MESSAGES" / "django.po"
    entries = _entries(po)
    assert len(entries) > (150 if locale == LOCALE else 0)
    for msgid, msgstrs, flags in entries:
        assert "fuzzy" not in flags, f"{language}: fuzzy translation of {msgid!r}"
        for msgstr in msgstrs:
            assert msgstr, f"{language}: {msgid!r} is not translated"
            assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(msgid)) or (
                len(msgstrs) > 1
            ), f"{language}: placeholders of {msgid!r} differ"


@pytest.mark.parametrize(("language", "locale"), CATALOGUES)
def test_catalogue_compiles(language: str, locale: Path, tmp_path: Path) -> None:
    po = locale / language / "LC_MESSAGES" / "django.po"
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po)], check=True)


def test_kazakh_is_kazakh() -> None:
    """Real Kazakh uses its own letters (ә, ғ, қ, ң, ө, ұ, ү, һ, і), not Russian spelling."""
    entries = _entries(LOCALE / "kk" / "LC_MESSAGES" / "django.po")
    text = " ".join(msgstr for _msgid, msgstrs, _flags in entries for msgstr in msgstrs)
    assert len(re.findall("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]", text)) > 200


# --- strings built in JavaScript -------------------------------------------------------------

STATIC_JS = sorted(
    path
    for path in (LOCALE.parent).rglob("static/**/*.js")
    if "vendor" not in path.parts and "node_modules" not in path.parts
)
# Words a page may show in every language: units, abbreviations, names of things.
SAME_IN_EVERY_LANGUAGE = {"PDF", "CSV", "XLSX", "OSM", "ID", "GeoJSON", "km", "min"}
WORD = re.compile(r"[A-Za-z]{2,}")


def _blobs(html: str) -> dict[str, object]:
    """The JSON blobs a page hands to its scripts for text: ``<script id="…-i18n">``."""
    found = {}
    for match in re.finditer(
        r'<script id="([\w-]*i18n)" type="application/json">(.*?)</script>', html, re.S
    ):
        found[match.group(1)] = json.loads(match.group(2))
    return found


def _flat(value: object, prefix: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for key, item in value.items():
            out.update(_flat(item, f"{prefix}{key}."))
        return out
    return {prefix.rstrip("."): str(value)}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_text_handed_to_scripts_is_translated(language: str, client: Any) -> None:
    """Every key of every i18n blob on the map page differs from its English value."""
    from saqshy.core.testing.personas import make_personas

    personas = make_personas()
    client.force_login(personas.dispatcher_astana)
    pages = {
        lang: client.get(reverse("situation:map"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        for lang in ("en", language)
    }
    english, other = _blobs(pages["en"]), _blobs(pages[language])
    assert {"map-i18n", "ops-i18n"} <= set(english), sorted(english)
    untranslated = []
    for blob, values in english.items():
        theirs = _flat(other[blob])
        for key, text in _flat(values).items():
            if text == theirs.get(key) and text not in SAME_IN_EVERY_LANGUAGE:
                untranslated.append(f"{blob}:{key}={text!r}")
    assert untranslated == [], f"{language}: {untranslated}"


# A string literal of a script that is put into the page (text of an HTML template literal,
# or a quoted string given to textContent, title, placeholder, alert …) must come from the
# page's i18n blob, not be written in English in the script. Allowed, with the reason:
JS_ALLOWED = {
    "PDF": "a file format's name, the same in every language",
    "ics": "a file extension",
    "OSM": "OpenStreetMap's abbreviation, used as a name",
    "OpenStreetMap": "the map data's name and licence attribution",
    "Leaflet": "the library's name in the attribution",
}
_INTO_DOM = re.compile(
    r"""\.(?:textContent|innerText|title|placeholder|ariaLabel|label)\s*=\s*(["'])(.*?)\1"""
    r"""|(?:alert|confirm|prompt|createTextNode)\(\s*(["'])(.*?)\3""",
)


def _templates(source: str) -> list[str]:
    """The literal text of every template literal (outside its ``${…}``), nested ones
    included: a small lexer over strings, comments, templates and their substitutions."""
    found: list[str] = []

    def code(i: int, until_brace: bool) -> int:
        depth = 0
        while i < len(source):
            c = source[i]
            if source.startswith("//", i):
                i = source.find("\n", i)
                i = len(source) if i < 0 else i
            elif source.startswith("/*", i):
                i = source.find("*/", i) + 2
            elif c in "'\"":
                i += 1
                while i < len(source) and source[i] != c:
                    i += 2 if source[i] == "\\" else 1
                i += 1
            elif c == "`":
                i = template(i + 1)
            elif c == "{":
                depth += 1
                i += 1
            elif c == "}":
                if until_brace and depth == 0:
                    return i + 1
                depth -= 1
                i += 1
            else:
                i += 1
        return i

    def template(i: int) -> int:
        text: list[str] = []
        while i < len(source) and source[i] != "`":
            if source[i] == "\\":
                text.append(source[i : i + 2])
                i += 2
            elif source.startswith("${", i):
                text.append(" ")
                i = code(i + 2, True)
            else:
                text.append(source[i])
                i += 1
        found.append("".join(text))
        return i + 1

    code(0, False)
    return found


def _visible_words(source: str) -> list[str]:
    """Words of running text in a script's HTML template literals and DOM assignments."""
    words: list[str] = []
    for body in _templates(source):
        if "<" not in body:
            continue  # not HTML: a URL, a key, a CSS value
        # Tags and their attributes; a tag may open in one literal and close in the next.
        text = re.sub(r"<[^>]*>|<[^>]*$|^[^<]*>", " ", body)
        text = re.sub(r"&\w+;|&#\d+;", " ", text)
        words += WORD.findall(text)
    for match in _INTO_DOM.finditer(source):
        words += WORD.findall(match.group(2) or match.group(4) or "")
    return [word for word in words if word not in JS_ALLOWED]


@pytest.mark.parametrize("path", STATIC_JS, ids=lambda p: p.name)
def test_scripts_put_no_english_into_the_page(path: Path) -> None:
    words = _visible_words(path.read_text(encoding="utf-8"))
    assert words == [], f"{path.name} writes untranslated text: {sorted(set(words))}"


def test_the_script_check_catches_english() -> None:
    """The scan is not blind: these lines are what it must refuse."""
    assert _visible_words("el.innerHTML = `<b>${n}</b> units left`;") == ["units", "left"]
    assert _visible_words('button.textContent = "Dispatch";') == ["Dispatch"]
    assert _visible_words("el.innerHTML = `<b>${escapeHtml(text.left)}</b>`;") == []
    assert _visible_words("const url = `/api/units/${id}/`;") == []
    assert _visible_words('h = `<span class="a${x}"` + `data-id="${y}">${z}</span>`;') == []
    assert _visible_words('h = `<i>${a ? `<b>${b}</b> more` : ""}</i>`;') == ["more"]


# --- generated names and journal lines -------------------------------------------------------


def _sample(message: Any) -> dict[str, Any]:
    params: dict[str, Any] = {}
    template = str(message.template)
    for name in re.findall(r"%\((\w+)\)", template):
        params[name] = 7  # a number fits %s, %d and %.1f alike
    for name, choice_set in message.choices.items():
        params[name] = choice_set.values()[0]
    for name in message.localized:
        params[name] = {"kk": "Бәйтерек", "ru": "Байтерек", "en": "Baiterek"}
    for name in message.datetimes:
        params[name] = "2026-12-31T13:05:00+00:00"
    if message.render_with is not None:
        params.update(
            {
                "at": "2026-12-31T13:05:00+00:00",
                "source": "call_112",
                "address": "Q7",
                "description": "Q7",
                "reporter": "Q7",
                "id": 7,
            }
        )
    return params


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_generated_text_is_translated(language: str) -> None:
    """Each journal line and generated name renders in kk and ru with no English left: its
    rendering differs from the English one and keeps none of the template's English words."""
    from django.utils import translation

    import saqshy.duty.names
    import saqshy.incidents.journal  # noqa: F401
    from saqshy.core import messages

    assert len(messages.codes()) >= 10
    problems = []
    for code in messages.codes():
        message = messages.get(code)
        assert message is not None
        params = _sample(message)
        english = messages.render(code, params, language="en")
        theirs = messages.render(code, params, language=language)
        with translation.override("en"):
            english_words = set(WORD.findall(re.sub(r"%\(\w+\)[sd]", "", str(message.template))))
        left = [w for w in WORD.findall(theirs) if w in english_words and len(w) > 2]
        if theirs == english or left or "%(" in theirs:
            problems.append(f"{code}: {theirs!r}")
    assert problems == [], f"{language}: {problems}"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_default_norm_descriptions_and_sources_are_translated(language: str) -> None:
    """The norms' descriptions and sources shown on the pages (the defaults, as data)."""
    from django.utils import translation

    from saqshy.accounts.norms import DEFAULT_NORMS, in_reader_language

    missing = []
    with translation.override(language):
        for code, (_value, _unit, description, source) in DEFAULT_NORMS.items():
            for text in (description, source):
                if in_reader_language(text) == text:
                    missing.append(f"{code}: {text!r}")
    assert missing == [], f"{language}: {missing}"

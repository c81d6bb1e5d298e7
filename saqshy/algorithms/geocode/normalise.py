"""One spelling for Kazakh, Russian and Latin place names, so they can be compared.

``key(text)`` is what the geocoder compares: Cyrillic (Russian and the Kazakh letters ә ғ қ ң
ө ұ ү һ і) is transliterated to Latin, the Kazakh Latin alphabets' diacritics are taken off,
and spelling variants that transliterations disagree on are folded to one form (``kh``/``h``,
``q``/``k``, ``y``/``i``, ``zh``/``j``, doubled letters …). So "Қабанбай батыр", "Кабанбай
батыра", "Qabanbai batyr" and "Kabanbay Batyr" come out nearly equal ("kabanbai batir(a)"),
close enough for the fuzzy matcher. The key is idempotent: ``key(key(x)) == key(x)``.

Street-type words ("улица", "ул.", "көшесі", "avenue", "пр-т" …) are recognised in all three
languages and set aside (``split_street``), and house numbers ("53", "53/1", "53А", "53 а")
are normalised to one form (``house_key``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
    # Kazakh letters
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}  # fmt: skip
"""Cyrillic to Latin, lower case (a scholarly-style scheme; the folding below absorbs the
differences to the passport, BGN/PCGN and Kazakh Latin schemes)."""

LATIN_EXTRA = {
    "ş": "sh", "ç": "ch", "ğ": "g", "ñ": "n", "ä": "a", "ö": "o", "ü": "u", "ū": "u",
    "ı": "i", "ý": "y", "á": "a", "ó": "o", "ú": "u", "é": "e", "í": "i", "ʼ": "", "'": "",
    "`": "", "’": "",
}  # fmt: skip
"""Letters of the Kazakh Latin alphabets (2017, 2018, 2021) and stray apostrophes."""

FOLDS = (
    ("shch", "sh"),
    ("kh", "h"),
    ("zh", "j"),
    ("ts", "c"),
    ("q", "k"),
    ("w", "v"),
    ("x", "ks"),
    ("y", "i"),
    ("ii", "i"),
)
"""Spelling variants folded to one form, applied in order until nothing changes."""

_TOKEN = re.compile(r"[0-9]+|[a-z]+")
_DOUBLE = re.compile(r"([a-z])\1+")


def transliterate(text: str) -> str:
    """Lower-case ``text`` with Cyrillic letters written in Latin; other characters kept."""
    out = []
    for char in unicodedata.normalize("NFC", text.lower()):
        if char in CYRILLIC:
            out.append(CYRILLIC[char])
        elif char in LATIN_EXTRA:
            out.append(LATIN_EXTRA[char])
        else:
            out.append(char)
    plain = unicodedata.normalize("NFKD", "".join(out))
    return "".join(c for c in plain if not unicodedata.combining(c))


def fold_word(word: str) -> str:
    """One Latin word with the spelling variants folded, to a fixed point."""
    while True:
        folded = word
        for old, new in FOLDS:
            folded = folded.replace(old, new)
        folded = _DOUBLE.sub(r"\1", folded)
        if folded == word:
            return folded
        word = folded


_ABBREVIATIONS = (
    (re.compile(r"\bпр-т\b"), "проспект"),
    (re.compile(r"\bпр-д\b"), "проезд"),
    (re.compile(r"\bб-р\b"), "бульвар"),
)
"""Hyphenated street-type abbreviations, expanded before the text is cut into words."""


def tokens(text: str) -> list[str]:
    """The folded words and digit runs of ``text`` ("53А" gives ["53", "a"])."""
    lowered = text.lower()
    for pattern, word in _ABBREVIATIONS:
        lowered = pattern.sub(word, lowered)
    return [fold_word(t) for t in _TOKEN.findall(transliterate(lowered))]


def key(text: str) -> str:
    """The comparable form of a name: its folded tokens joined by single spaces."""
    return " ".join(tokens(text))


# --- street types -------------------------------------------------------------------------

STREET_TYPES: dict[str, tuple[str, ...]] = {
    "street": ("улица", "ул", "көшесі", "көше", "street", "st", "str", "ulitsa", "koshesi"),
    "avenue": (
        "проспект", "просп", "пр", "даңғылы", "даңғыл", "avenue", "ave", "av",
        "prospekt", "prosp", "pr", "dangyly", "prospect",
    ),
    "lane": ("переулок", "пер", "тұйық", "тупик", "lane", "ln", "pereulok", "per"),
    "boulevard": ("бульвар", "бул", "гүлзары", "boulevard", "blvd", "bulvar"),
    "highway": ("шоссе", "тасжолы", "highway", "hwy", "shosse"),
    "square": ("площадь", "пл", "алаңы", "алаң", "square", "sq", "ploshchad"),
    "embankment": ("набережная", "наб", "жағалауы", "embankment", "naberezhnaya"),
    "passage": ("проезд", "өткелі", "passage", "proezd"),
    "microdistrict": ("микрорайон", "мкр", "мкрн", "шағынауданы", "microdistrict", "mkr"),
}  # fmt: skip
"""Street-type words in Russian, Kazakh and English (with their usual abbreviations)."""

_TYPE_OF: dict[str, str] = {}
for _kind, _words in STREET_TYPES.items():
    for _word in _words:
        _parts = tokens(_word)
        if len(_parts) == 1:
            _TYPE_OF.setdefault(_parts[0], _kind)


def street_type(word_key: str) -> str | None:
    """The street type a folded word names ("ul" -> "street"), else None."""
    return _TYPE_OF.get(word_key)


# --- house numbers ------------------------------------------------------------------------

_HOUSE = re.compile(r"^\d+[a-z]?(/\d+[a-z]?)?$")
_HOUSE_WORDS = frozenset(tokens("дом д корпус корп к блок строение стр house bld building"))
"""Words that introduce a house number or its part; dropped from the number."""


def house_key(text: str) -> str:
    """A house number in one form: "53", "53/1", "53a"; "53 А", "53-а", "53а" agree.

    Letters are transliterated (Cyrillic "а" is "a", "б" is "b") so a number typed in either
    script matches. Words like "дом", "корпус" are dropped and parts joined with "/".
    """
    parts = [t for t in tokens(text) if t not in _HOUSE_WORDS]
    out = ""
    for part in parts:
        if part.isdigit():
            out = f"{out}/{part}" if out else part
        elif out and out[-1].isdigit() and len(part) <= 2:
            out += part
        elif out:
            out = f"{out}/{part}"
        else:
            out = part
    return out


def house_base(number: str) -> str:
    """The leading digits of a house number key ("53/1" and "53a" give "53")."""
    match = re.match(r"\d+", number)
    return match.group(0) if match else number


@dataclass(frozen=True)
class ParsedQuery:
    """A search text split into the name to match, the house number and the street type."""

    name: str
    house: str
    street_type: str | None


def split_street(text: str) -> tuple[str, str | None]:
    """A street name's key without its type words, and the type (None when it names none)."""
    kept, kind = [], None
    for word in tokens(text):
        found = street_type(word)
        if found is not None and kind is None:
            kind = found
            continue
        kept.append(word)
    if not kept:  # the name is only a type word ("Проспект"): keep it
        return key(text), None
    return " ".join(kept), kind


_HOUSE_IN_TEXT = re.compile(
    r"(?<![a-z0-9])(?:(?:dom|d)\.?\s*)?\d+(?:\s*-?\s*[a-z]{1,2}(?![a-z]))?"
    r"(?:\s*(?:/|\\|korpus|korp\.?|k\.?|blok|stroenie|str\.?)\s*\d+(?:\s*[a-z](?![a-z]))?)?"
)
"""A house number in transliterated text: "53", "53a", "53 a", "53/1", "2k1", "58a korpus 1"."""


def _expanded(text: str) -> str:
    lowered = text.lower()
    for pattern, word in _ABBREVIATIONS:
        lowered = pattern.sub(word, lowered)
    return transliterate(lowered)


def parse_query(text: str) -> ParsedQuery:
    """Split a typed query ("Kabanbay 53", "ул. Кенесары, 40/1", "пр Абая 10 а").

    The house number is the last number in the text with its letter suffix or "/part"; a
    number is not a house number when no name word is left without it ("10 мкр" names a
    microdistrict). Everything else, less the first street-type word, is the name.
    """
    plain = _expanded(text)
    house = ""
    rest = plain
    for match in reversed(list(_HOUSE_IN_TEXT.finditer(plain))):
        left = plain[: match.start()] + " " + plain[match.end() :]
        names = [w for w in tokens(left) if street_type(w) is None and w not in _HOUSE_WORDS]
        if names:
            house = house_key(match.group(0))
            rest = left
        break
    words = tokens(rest)
    kept, kind = [], None
    for word in words:
        found = street_type(word)
        if found is not None and kind is None and len(words) > 1:
            kind = found
            continue
        kept.append(word)
    return ParsedQuery(" ".join(kept), house, kind)


def is_house_number(text: str) -> bool:
    return bool(_HOUSE.match(house_key(text)))

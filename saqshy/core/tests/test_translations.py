"""Every visible string is translated into Kazakh and Russian, with its placeholders intact."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
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


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_catalogue_is_complete(language: str) -> None:
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    entries = _entries(po)
    assert len(entries) > 150
    for msgid, msgstrs, flags in entries:
        assert "fuzzy" not in flags, f"{language}: fuzzy translation of {msgid!r}"
        for msgstr in msgstrs:
            assert msgstr, f"{language}: {msgid!r} is not translated"
            assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(msgid)) or (
                len(msgstrs) > 1
            ), f"{language}: placeholders of {msgid!r} differ"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_catalogue_compiles(language: str, tmp_path: Path) -> None:
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po)], check=True)


def test_kazakh_is_kazakh() -> None:
    """Real Kazakh uses its own letters (ә, ғ, қ, ң, ө, ұ, ү, һ, і), not Russian spelling."""
    entries = _entries(LOCALE / "kk" / "LC_MESSAGES" / "django.po")
    text = " ".join(msgstr for _msgid, msgstrs, _flags in entries for msgstr in msgstrs)
    assert len(re.findall("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]", text)) > 200

"""Options shared by ``load_regions`` and ``load_districts``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from saqshy.accounts.boundaries import DEFAULT_NAMES, LANGUAGES


def add_name_option(parser: CommandParser) -> None:
    parser.add_argument(
        "--name",
        action="append",
        default=[],
        metavar="LANG=PROPERTY",
        help=(
            "property holding the name in a language, repeatable, e.g. --name en=shapeName "
            "--name ru=name_ru (defaults: en=name_en kk=name_kk ru=name_ru; a missing Kazakh "
            "or Russian name falls back to the English one)"
        ),
    )


def name_properties(pairs: list[str]) -> dict[str, str]:
    names = dict(DEFAULT_NAMES)
    for pair in pairs:
        language, _sep, prop = pair.partition("=")
        if language not in LANGUAGES or not prop:
            raise CommandError(
                f"--name {pair!r}: expected LANG=PROPERTY with LANG one of {', '.join(LANGUAGES)}"
            )
        names[language] = prop
    return names


def shipped(name: str) -> Path:
    return Path(settings.DATA_DIR, name)


def read_collection(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CommandError(f"{path}: cannot read ({error.strerror})") from None
    except ValueError as error:
        raise CommandError(f"{path}: not GeoJSON ({error})") from None


def refused(path: Path, error: ValidationError) -> CommandError:
    """One error naming the file and every bad feature; nothing was written."""
    lines = "\n".join(f"  {message}" for message in error.messages)
    return CommandError(f"{path}: nothing loaded, fix these first:\n{lines}")

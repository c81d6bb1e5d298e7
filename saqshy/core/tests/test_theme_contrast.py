"""WCAG AA contrast of the light and the dark theme, read from the custom properties in app.css.

Every text colour is checked on every background it is drawn on (4.5:1, normal-size text), and
every outline, focus ring and indicator against what surrounds it (3:1, WCAG 1.4.11).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

APP_CSS = Path(__file__).resolve().parents[2] / "static" / "saqshy" / "app.css"

TEXT = 4.5
UI = 3.0

# (foreground, background, minimum ratio): the pairs app.css and the pages draw.
PAIRS: list[tuple[str, str, float]] = [
    *((fg, bg, TEXT) for fg in ("fg", "muted", "accent") for bg in ("bg", "panel", "subtle")),
    ("fg", "hover", TEXT),
    ("fg", "selected", TEXT),
    ("accent", "hover", TEXT),
    ("th-fg", "subtle", TEXT),
    ("on-accent", "accent", TEXT),
    ("input-fg", "input-bg", TEXT),
    ("muted", "input-bg", TEXT),  # placeholders
    *((fg, "ok-bg", TEXT) for fg in ("fg", "ok", "accent")),
    *((fg, "warn-bg", TEXT) for fg in ("fg", "warn", "accent")),
    *((fg, "danger-bg", TEXT) for fg in ("fg", "danger", "accent")),
    *(
        (status, bg, TEXT)
        for status in ("ok", "warn", "danger")
        for bg in ("bg", "panel", "subtle")
    ),
    *(("on-fill", fill, TEXT) for fill in ("ok-fill", "warn-fill", "danger-fill")),
    ("topbar-fg", "topbar-bg", TEXT),
    ("topbar-strong", "topbar-bg", TEXT),
    ("topbar-bg", "topbar-accent", TEXT),  # the pressed language/theme button
    # Components and indicators.
    *(("border", bg, UI) for bg in ("bg", "panel", "input-bg", "subtle")),
    *(("focus", bg, UI) for bg in ("bg", "panel", "input-bg")),
    *(("accent", bg, UI) for bg in ("bg", "panel")),  # primary buttons, checkboxes
    ("topbar-border", "topbar-bg", UI),
    ("topbar-accent", "topbar-bg", UI),  # the current page's underline
]


def _declarations(block: str) -> dict[str, str]:
    return {m[1]: m[2].strip() for m in re.finditer(r"--([a-z0-9-]+)\s*:\s*([^;]+);", block)}


def _block(css: str, selector: str) -> str:
    start = css.index(selector)
    opening = css.index("{", start)
    return css[opening + 1 : css.index("}", opening)]


def themes(css: str) -> dict[str, dict[str, str]]:
    light = _declarations(_block(css, ":root {"))
    dark = {**light, **_declarations(_block(css, ':root[data-theme="dark"] {'))}
    return {"light": light, "dark": dark}


def colour(variables: dict[str, str], name: str) -> tuple[float, float, float]:
    value = variables[name]
    for _ in range(5):
        alias = re.fullmatch(r"var\(--([a-z0-9-]+)\)", value)
        if not alias:
            break
        value = variables[alias[1]]
    hexa = re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", value)
    assert hexa, f"--{name} is {value!r}, not an opaque #rgb/#rrggbb colour"
    digits = hexa[1] if len(hexa[1]) == 6 else "".join(c * 2 for c in hexa[1])
    r, g, b = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_formula_matches_known_ratios() -> None:
    assert ratio((0, 0, 0), (1, 1, 1)) == pytest.approx(21.0)
    # #767676 on white is the classic 4.54:1 grey.
    grey = colour({"x": "#767676"}, "x")
    assert ratio(grey, (1, 1, 1)) == pytest.approx(4.54, abs=0.01)


def test_every_colour_of_the_light_theme_is_redefined_for_the_dark_one() -> None:
    css = APP_CSS.read_text()
    light = _declarations(_block(css, ":root {"))
    dark = _declarations(_block(css, ':root[data-theme="dark"] {'))
    opaque = {name for name, value in light.items() if value.startswith(("#", "rgb"))}
    assert opaque - dark.keys() == set()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_text_and_components_meet_wcag_aa(theme: str) -> None:
    variables = themes(APP_CSS.read_text())[theme]
    failures = []
    for fg, bg, minimum in PAIRS:
        got = ratio(colour(variables, fg), colour(variables, bg))
        if got < minimum:
            failures.append(f"--{fg} on --{bg}: {got:.2f} < {minimum}")
    assert not failures, f"{theme} theme:\n" + "\n".join(failures)

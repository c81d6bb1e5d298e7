"""Dates dd.mm.yyyy and 24-hour times in kk, ru and en: Django formats and the browser side."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import formats, translation

HTML_JS = Path(__file__).resolve().parents[2] / "static" / "saqshy" / "html.js"
LANGUAGES = ["kk", "ru", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_django_formats_are_day_month_year_and_24_hours(language: str) -> None:
    moment = dt.datetime(2026, 12, 31, 18, 5, tzinfo=dt.UTC)
    with translation.override(language):
        assert formats.date_format(moment.date()) == "31.12.2026"
        assert formats.date_format(moment.date(), "SHORT_DATE_FORMAT") == "31.12.2026"
        assert formats.time_format(moment.time()) == "18:05"
        rendered = Template("{{ d }}|{{ d|date }}|{{ t|time }}").render(
            Context({"d": moment.date(), "t": moment.time()})
        )
        assert rendered == "31.12.2026|31.12.2026|18:05"


@pytest.mark.parametrize("language", LANGUAGES)
def test_date_inputs_still_take_iso(language: str) -> None:
    """<input type="date"> sends ISO; the first input format is what a widget writes back."""
    with translation.override(language):
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_browser_formatting_is_day_month_year_and_24_hours(language: str) -> None:
    """window.saqshyFormat (html.js) under node's Intl, as a page in ``language`` runs it."""
    script = f"""
      globalThis.window = globalThis;
      globalThis.document = {{ documentElement: {{ lang: {json.dumps(language)},
                                                  dataset: {{ timeZone: "Asia/Almaty" }} }},
                                  addEventListener() {{}} }};
      require({json.dumps(str(HTML_JS))});
      const at = "2026-12-31T13:05:09Z";  // 18:05 in Almaty (UTC+5)
      const f = window.saqshyFormat;
      console.log(JSON.stringify([f.date(at), f.time(at), f.dateTime(at), f.timeSeconds(at)]));
    """
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == ["31.12.2026", "18:05", "31.12.2026 18:05", "18:05:09"]


def test_no_script_formats_dates_by_itself() -> None:
    """Every date or time our scripts show goes through saqshyFormat: no toLocale*String and
    no Intl.DateTimeFormat outside html.js (and map.js's clock, which sets hourCycle h23)."""
    static = Path(__file__).resolve().parents[2]
    offenders = []
    for path in static.rglob("*.js"):
        if "vendor" in path.parts or "node_modules" in path.parts or path.name == "html.js":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if (
                "toLocaleString" in line
                or "toLocaleTimeString" in line
                or ("toLocaleDateString" in line)
            ):
                offenders.append(f"{path.name}:{number}")
            if (
                "Intl.DateTimeFormat" in line
                and "hourCycle" not in line
                and ("options" not in line)
            ):
                offenders.append(f"{path.name}:{number}")
    assert offenders == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_time_since_is_in_the_readers_language(language: str) -> None:
    """Django's own catalogue lacks Kazakh for these; ours supplies them."""
    from django.utils.timesince import timesince

    then = dt.datetime(2026, 12, 31, 18, 0, tzinfo=dt.UTC)
    with translation.override(language):
        for delta in (dt.timedelta(minutes=6), dt.timedelta(hours=3), dt.timedelta(days=2)):
            text = timesince(then, then + delta)
            assert not WORDS.search(text), text


WORDS = __import__("re").compile(r"[A-Za-z]{2,}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_pyrotechnics_certificate_date_is_day_month_year(language: str) -> None:
    """It read 12/31/2026 in Kazakh (Django has no Kazakh formats of its own)."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    outlet = SimpleNamespace(certificate_expired=False, certificate_expires=dt.date(2026, 12, 31))
    with translation.override(language):
        html = render_to_string("pyrotechnics/_certificate.html", {"outlet": outlet})
    assert "31.12.2026" in html
    assert "12/31" not in html

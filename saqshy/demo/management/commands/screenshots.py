"""Screenshot the main pages in every language, at desktop and phone width, light and dark.

Needs a running server with the demo loaded (``make demo``, or ``load_demo`` on any database and
uvicorn) and Chromium with Playwright (the dev dependencies)::

    python manage.py screenshots --url http://127.0.0.1:8000 --out /tmp --prefix theme-

writes ``/tmp/theme-<page>-<lang>-<width>-<theme>.png`` (and ``...-menu.png`` with the header's
menu open at phone width) and prints, per shot, the header height and whether the page scrolls
sideways, so a broken layout shows in the text too. The theme is the browser's
``prefers-color-scheme``, which the app follows by default.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from saqshy.demo.people import DEMO_PASSWORD

PAGES = {
    "map": "/",
    "incidents": "/incidents/",
    "incident-new": "/incidents/new/",
    "units": "/units/",
    "duty": "/duty/",
    "roster": "/duty/plan/",
    "personnel": "/duty/personnel/",
    "inspections": "/inspections/",
    "events": "/events/",
    "trips": "/trips/",
    "pyrotechnics": "/pyrotechnics/",
    "facilities": "/facilities/",
    "hydrants": "/equipment/",
    "admin": "/admin/",
}

MEASURE = """() => {
  const header = document.getElementById('topbar');
  return {
    header: header ? Math.round(header.getBoundingClientRect().height) : 0,
    mode: header ? header.dataset.mode || '' : '',
    scroll: document.scrollingElement.scrollWidth,
    theme: document.documentElement.dataset.theme || '',
  };
}"""


class Command(BaseCommand):
    help = "Screenshot the main pages in en/kk/ru at 1600 and 390 px, light and dark."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--out", default=tempfile.gettempdir())
        parser.add_argument("--prefix", default="theme-")
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default=DEMO_PASSWORD)
        parser.add_argument("--langs", default="en,kk,ru")
        parser.add_argument("--widths", default="1600,390")
        parser.add_argument("--themes", default="light,dark")
        parser.add_argument(
            "--pages", default=",".join(PAGES), help="names from: " + ", ".join(PAGES)
        )
        parser.add_argument("--chromium", default="/usr/bin/chromium")

    def handle(self, *args: Any, **options: Any) -> None:
        from playwright.sync_api import sync_playwright

        url = options["url"].rstrip("/")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        pages = [p for p in options["pages"].split(",") if p]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=options["chromium"], args=["--headless", "--no-sandbox"]
            )
            for theme in options["themes"].split(","):
                for width in (int(w) for w in options["widths"].split(",")):
                    height = 900 if width > 800 else 844
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, color_scheme=theme
                    )
                    page = context.new_page()
                    self._sign_in(page, url, options["username"], options["password"])
                    for lang in options["langs"].split(","):
                        self._language(page, url, lang)
                        for name in pages:
                            page.goto(url + PAGES[name])
                            page.wait_for_load_state("networkidle")
                            stem = f"{options['prefix']}{name}-{lang}-{width}-{theme}"
                            page.screenshot(path=str(out / f"{stem}.png"))
                            facts = page.evaluate(MEASURE)
                            wide = " SCROLLS SIDEWAYS" if facts["scroll"] > width else ""
                            self.stdout.write(
                                f"{stem}: header {facts['header']} px ({facts['mode']}), "
                                f"width {facts['scroll']}, theme {facts['theme']}{wide}"
                            )
                        if "map" in pages:
                            self._map_card(
                                page,
                                url,
                                out / f"{options['prefix']}map-card-{lang}-{width}-{theme}.png",
                            )
                        if width < 800:
                            page.goto(url + PAGES["incidents"])
                            toggle = page.locator("#menu-toggle")
                            if toggle.is_visible():
                                toggle.click()
                                stem = f"{options['prefix']}menu-{lang}-{width}-{theme}"
                                page.screenshot(path=str(out / f"{stem}.png"))
                    context.close()
            browser.close()

    @staticmethod
    def _sign_in(page: Any, url: str, username: str, password: str) -> None:
        page.goto(f"{url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click('form[action$="/login/"] button[type=submit]')
        page.wait_for_load_state()

    @staticmethod
    def _map_card(page: Any, url: str, path: Path) -> None:
        """The map with the first waiting call's card open (when there is one)."""
        page.goto(url + PAGES["map"])
        page.wait_for_load_state("networkidle")
        item = page.locator(".q-item").first
        if item.count():
            item.click()
            page.wait_for_timeout(1500)
            page.screenshot(path=str(path))

    @staticmethod
    def _language(page: Any, url: str, lang: str) -> None:
        page.goto(f"{url}/incidents/")
        # The switch may sit behind the phone menu: submit its form directly.
        with page.expect_navigation():
            page.evaluate(
                "(lang) => document.querySelector(`button[data-lang=${lang}]`).click()", lang
            )

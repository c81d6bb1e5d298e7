"""The night theme, the one-line header and the phone layout, in Debian's Chromium.

- the theme follows prefers-color-scheme, is set before <body> exists (so before the first
  paint), switches from the header (light / dark / system), is remembered, and announces itself
  with the ``saqshy:theme`` event that maps rely on;
- at 1600 px the header is one line in kk and ru (the links that do not fit go under "More");
- at 390 px no page scrolls sideways and the header's, the menus' and the forms' controls are at
  least 44 px tall; the Menu button opens everything, the language switch and sign-out included.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from saqshy.core.testing.live import browser_page, live_server, require_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

SEED = """
from saqshy.accounts.models import Agency
from saqshy.core.testing.personas import make_personas
from saqshy.facilities import services
from saqshy.incidents import services as incidents
from saqshy.incidents.tests.factories import incident_type
p = make_personas()
services.create_facility(acting_user=None, kind="school", name="School 1", lat=51.128, lon=71.43)
police = Agency.objects.get(grants__user=p.dispatcher_astana)
incidents.create_unit(
    acting_user=None, call_sign="P-1", kind="patrol_car", agency=police, region=p.astana
)
incidents.report_incident(
    acting_user=p.dispatcher_astana, type=incident_type("fire"), lat=51.1281, lon=71.4301,
    address="Kabanbay Batyr Avenue 53, block 4, entrance 2, a very long address to wrap",
    description="Smoke on the third floor, seen from the courtyard by several neighbours",
)
"""

# Forms and pages beyond the navigation's (those a persona cannot open answer 403: skipped).
FORMS = [
    "/incidents/new/",
    "/facilities/new/",
    "/events/new/",
    "/trips/new/",
    "/pyrotechnics/outlets/new/",
    "/pyrotechnics/raids/new/",
    "/equipment/hydrants/new/",
    "/duty/personnel/new/",
    "/duty/personnel/",
    "/duty/plan/",
    "/duty/readiness/",
    "/duty/patrol-plans/",
    "/inspections/records/inspections/",
    "/incidents/indicators/",
    "/prevention/campaigns/new/",
]

ONE_LINE = """() => {
  const header = document.getElementById('topbar');
  const box = header.getBoundingClientRect();
  const parts = '.brand, #menu-toggle, .mainnav > a, .more-toggle, .tools > *';
  const items = [...header.querySelectorAll(parts)]
    .filter((e) => e.offsetParent !== null && !e.closest('.more-list'))
    .map((e) => e.getBoundingClientRect())
    .filter((r) => r.width > 0);
  const first = items[0];
  const wrapped = items.filter((r) => r.top >= first.bottom || r.bottom <= first.top).length;
  return {height: box.height, wrapped, items: items.length,
          overflow: header.scrollWidth - header.clientWidth, mode: header.dataset.mode};
}"""

SMALL_TARGETS = """() => {
  const selectors = [
    '#topbar button', '#topbar a', 'main nav a', 'main a.button',
    'main form button', 'main form select', 'main form textarea',
    'main form input:not([type=hidden]):not([type=checkbox]):not([type=radio])',
    'main form label:has(> input[type=checkbox])', 'main form label:has(> input[type=radio])',
  ];
  const small = [];
  for (const element of document.querySelectorAll(selectors.join(','))) {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
    if (element.closest('.leaflet-container')) continue;
    if (box.height >= 43.5) continue;
    const name = (element.textContent || element.name || '').trim().slice(0, 30);
    small.push(`${element.tagName.toLowerCase()}.${element.className} "${name}" ${box.height}px`);
  }
  return small;
}"""

BODY_IS_DARK = """() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 50;
}"""

# Installed before any page script: records data-theme when <body> is created, before paint.
WATCH_BODY = """
new MutationObserver((changes, observer) => {
  if (document.body) {
    window.__themeAtBody = document.documentElement.dataset.theme || 'unset';
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("theme"), SEED) as url:
        yield url


def _language(page: Any, url: str, lang: str) -> None:
    page.goto(f"{url}/incidents/")
    with page.expect_navigation():
        page.evaluate("(lang) => document.querySelector(`button[data-lang=${lang}]`).click()", lang)
    assert page.evaluate("() => document.documentElement.lang") == lang


def _nav_pages(page: Any) -> list[str]:
    hrefs: list[str] = page.evaluate(
        "() => [...document.querySelectorAll('.mainnav > a')].map((a) => a.getAttribute('href'))"
    )
    return [h for h in hrefs if not h.startswith(("/admin", "/api"))]


def test_theme_follows_the_system_switches_and_is_announced(server: str) -> None:
    with browser_page(color_scheme="dark") as page:
        page.add_init_script(WATCH_BODY)
        sign_in(page, server, "dispatcher_astana", "pw-dispatcher_astana")
        page.goto(f"{server}/incidents/")
        assert page.evaluate("() => window.__themeAtBody") == "dark"
        assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
        assert page.evaluate(BODY_IS_DARK)
        assert page.get_attribute("button[data-theme-choice=auto]", "aria-pressed") == "true"

        # The system turns light while the choice is "system": the page follows and says so.
        page.evaluate(
            "() => { window.__events = []; document.addEventListener('saqshy:theme',"
            " (e) => window.__events.push(e.detail.theme)); }"
        )
        page.emulate_media(color_scheme="light")
        page.wait_for_function("() => document.documentElement.dataset.theme === 'light'")
        assert not page.evaluate(BODY_IS_DARK)

        # The header's switch: dark, announced once, remembered over a reload.
        page.click("button[data-theme-choice=dark]")
        assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
        assert page.evaluate(BODY_IS_DARK)
        assert page.evaluate("() => window.__events") == ["light", "dark"]
        assert page.get_attribute("button[data-theme-choice=dark]", "aria-pressed") == "true"
        page.reload()
        assert page.evaluate("() => window.__themeAtBody") == "dark"
        assert page.evaluate(BODY_IS_DARK)

        page.click("button[data-theme-choice=light]")
        assert not page.evaluate(BODY_IS_DARK)
        page.click("button[data-theme-choice=auto]")
        assert page.evaluate("() => document.documentElement.dataset.theme") == "light"
        assert not page.errors, page.errors


def test_a_new_browser_in_a_dark_system_gets_the_dark_theme_on_the_sign_in_page(
    server: str,
) -> None:
    with browser_page(color_scheme="dark") as page:
        page.add_init_script(WATCH_BODY)
        page.goto(f"{server}/login/")
        assert page.evaluate("() => window.__themeAtBody") == "dark"
        assert page.evaluate(BODY_IS_DARK)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_header_is_one_line_at_1600_px(server: str, lang: str) -> None:
    with browser_page(viewport={"width": 1600, "height": 900}) as page:
        sign_in(page, server, "admin", "pw-admin")
        _language(page, server, lang)
        for path in ["/", "/incidents/", "/duty/"]:
            page.goto(f"{server}{path}")
            line = page.evaluate(ONE_LINE)
            assert line["wrapped"] == 0 and line["overflow"] <= 0, (path, line)
            assert line["height"] <= 56, (path, line)
        # The links that did not fit are one keyboard step away under "More".
        assert line["mode"] == "collapse-nav", line
        hidden = page.evaluate("() => document.querySelectorAll('.mainnav > a[hidden]').length")
        assert hidden > 0
        page.focus("#more-toggle")
        page.keyboard.press("Enter")
        assert page.get_attribute("#more-toggle", "aria-expanded") == "true"
        assert page.locator("#more-list a").count() == hidden
        assert page.evaluate("() => document.activeElement.closest('#more-list') !== null")
        page.keyboard.press("Escape")
        assert page.get_attribute("#more-toggle", "aria-expanded") == "false"
        assert page.evaluate("() => document.activeElement.id") == "more-toggle"
        # The first Tab offers to skip the header.
        page.goto(f"{server}/incidents/")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.className") == "skip-link"
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main"
        # The language switch and sign-out stay in the bar.
        assert page.locator("button[data-lang=en]").is_visible()
        assert page.locator("form.signout button").is_visible()
        assert not page.errors, page.errors


@pytest.mark.parametrize(
    ("username", "lang"),
    [("admin", "en"), ("dispatcher_astana", "ru"), ("inspector_almaty", "kk")],
)
def test_phone_pages_fit_the_screen_with_44_px_targets(
    server: str, username: str, lang: str
) -> None:
    with browser_page(viewport={"width": 390, "height": 844}, is_mobile=True) as page:
        page.goto(f"{server}/login/")
        assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 390
        assert page.evaluate(SMALL_TARGETS) == []
        sign_in(page, server, username, f"pw-{username}")
        _language(page, server, lang)
        pages = [*_nav_pages(page), *FORMS]
        assert len(pages) > len(FORMS)
        problems = []
        visited = 0
        for path in pages:
            response = page.goto(f"{server}{path}")
            if response is None or response.status == 403:
                continue
            assert response.status == 200, (path, response.status)
            visited += 1
            width = page.evaluate("() => document.scrollingElement.scrollWidth")
            if width > 390:
                problems.append(f"{path}: {width} px wide")
            line = page.evaluate(ONE_LINE)
            if line["wrapped"] or line["height"] > 60:
                problems.append(f"{path}: header {line}")
            problems += [f"{path}: {small}" for small in page.evaluate(SMALL_TARGETS)]
        assert visited >= 3
        # The menu: the links, the theme and language switches and sign-out, all 44 px.
        page.goto(f"{server}/incidents/")
        toggle = page.locator("#menu-toggle")
        assert toggle.is_visible()
        toggle.focus()
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "true"
        for selector in [".mainnav > a", "button[data-lang]", "form.signout button"]:
            assert page.locator(selector).first.is_visible(), selector
        problems += [f"menu: {small}" for small in page.evaluate(SMALL_TARGETS)]
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        if width > 390:
            problems.append(f"open menu: {width} px wide")
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not problems, "\n".join(problems)
        errors = [e for e in page.errors if "status of 403" not in e]  # the forms refused above
        assert not errors, errors

"""An inspector on a 390 px phone: signs in, lands on the work queue, opens the first
facility, ticks "all items passed", attaches a photo and saves; another inspector, who may
verify what the first marked eliminated, sees the photos. No page scrolls sideways and every
tap target in the page body is at least 44 × 44 px."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from saqshy.core.testing.live import browser_page, live_server, require_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

PHONE = {"width": 390, "height": 844}

SEED = """
import datetime as dt, io
from PIL import Image
from saqshy.core.testing.personas import make_personas
from saqshy.facilities import services as facilities
from saqshy.inspections import services as inspections
from saqshy.inspections.models import ChecklistItem
from saqshy.inspections.tests.factories import second_inspector
from saqshy.prevention.models import Campaign
p = make_personas()
second_inspector()
today = dt.date.today()
school = facilities.create_facility(
    acting_user=None, kind="school", name="School 42", lat=43.24, lon=76.94
)
inspections.record_inspection(
    acting_user=None, facility=school, inspected_on=today - dt.timedelta(days=20),
    results=[inspections.ItemResult(ChecklistItem.objects.get(code="exits"), False,
                                    "Emergency exit chained shut")],
)
fix = io.BytesIO()
Image.new("RGB", (640, 480), (20, 120, 40)).save(fix, format="JPEG")
inspections.mark_eliminated(
    acting_user=p.inspector_almaty, violation=school.violations.get(),
    eliminated_on=today - dt.timedelta(days=5),
    photos=[inspections.PhotoUpload(io.BytesIO(fix.getvalue()), fix.tell())],
)
Campaign.objects.create(
    name="Schools before the holidays", region=p.almaty, facility_kinds=["school"],
    starts_on=today - dt.timedelta(days=3), deadline=today + dt.timedelta(days=30),
)
"""

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
# What sticks out to the right, to name it when the page scrolls sideways.
WIDE = """() => [...document.querySelectorAll('body *')]
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter((el) => !el.parentElement.closest('.scroll-x, .mainnav'))
  .slice(0, 8)
  .map((el) => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`)
  .concat([`scrollWidth ${document.documentElement.scrollWidth}`])"""

# Tap targets in the page body (the shared header is another page component): a control
# inside a label is tapped through its label.
SMALL_TARGETS = """() => {
  const found = [];
  for (const el of document.querySelectorAll(
      'main a, main button, main input:not([type=hidden]), main select, main textarea')) {
    const target = el.closest('label') || el;
    const box = target.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (getComputedStyle(target).visibility === 'hidden') continue;
    if (box.width < 44 || box.height < 44) {
      const text = (target.textContent || target.name || '').trim().slice(0, 30);
      found.push(`${target.tagName} ${text} ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return found;
}"""


def phone_photo(path: Path) -> Path:
    """A JPEG with the phone's GPS position in its EXIF, as a camera app writes it."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x0110] = "Phone X"
    exif.get_ifd(0x8825).update({1: "N", 2: (43.0, 14.0, 24.0), 3: "E", 4: (76.0, 56.0, 24.0)})
    out = io.BytesIO()
    Image.new("RGB", (3024, 4032), (180, 40, 40)).save(out, format="JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


def fits_the_phone(page: Any, where: str) -> None:
    # A click that navigates returns before the next page's stylesheets have loaded.
    page.wait_for_load_state("load")
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{where} scrolls sideways: {page.evaluate(WIDE)}"
    small = page.evaluate(SMALL_TARGETS)
    assert not small, f"{where}: tap targets under 44 px: {small}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with live_server(tmp_path_factory.mktemp("field"), SEED) as url:
        yield url


def test_inspector_on_a_phone(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    photo = phone_photo(tmp_path / "IMG_0001.jpg")
    with browser_page(viewport=PHONE, is_mobile=True, has_touch=True) as page:
        sign_in(page, server, "inspector_almaty", "pw-inspector_almaty")
        expect(page).to_have_url(f"{server}/prevention/queue/")
        expect(page.locator("[data-queue]")).to_contain_text("School 42")
        fits_the_phone(page, "work queue")
        page.screenshot(path="/tmp/field-queue.png", full_page=True)

        page.click("[data-queue] a:has-text('School 42')")
        expect(page.locator("#record-inspection")).to_be_visible()
        # The inspector marked the violation eliminated: someone else must verify it.
        expect(page.locator("[data-refusal=separation]")).to_be_visible()
        expect(page.locator("button.verify")).to_have_count(0)
        fits_the_phone(page, "facility page")

        page.click("[data-all-passed]")
        radios = page.locator("#record-inspection input[type=radio][value=pass]")
        assert radios.count() >= 5
        for i in range(radios.count()):
            expect(radios.nth(i)).to_be_checked()
        page.set_input_files("#id_photos", str(photo))
        page.click("#record-inspection button[type=submit]")
        expect(page.locator(".messages")).to_contain_text("Inspection recorded.")
        expect(page.locator("#inspections .field-photos img")).to_have_count(2)
        fits_the_phone(page, "facility page after saving")
        page.screenshot(path="/tmp/field-inspected.png", full_page=True)
        facility_url = page.url.split("#")[0]

        page.goto(f"{server}/inspections/")
        fits_the_phone(page, "violations list")
        page.goto(f"{server}/inspections/records/inspections/")
        fits_the_phone(page, "inspection records")
        page.goto(f"{server}/prevention/campaigns/")
        fits_the_phone(page, "campaign list")
        page.click("text=Schools before the holidays")
        fits_the_phone(page, "campaign page")
        page.screenshot(path="/tmp/field-campaign.png", full_page=True)
        assert not page.errors, page.errors

        page.context.clear_cookies()
        sign_in(page, server, "verifier_almaty", "pw-verifier_almaty")
        page.goto(facility_url)
        row = page.locator("#violations tr[data-status=eliminated]")
        fix_photo = row.locator(".field-photos img")
        expect(fix_photo).to_have_count(1)
        new_photo = page.locator("#inspections li").first.locator(".field-photos img")
        expect(new_photo).to_have_count(1)
        for img in (fix_photo, new_photo):
            img.scroll_into_view_if_needed()
            page.wait_for_function(
                "(el) => el.complete && el.naturalWidth > 0", arg=img.element_handle()
            )
        # Re-encoded for the phone's screen: shrunk to 2048 px and no longer landscape-only.
        size = new_photo.evaluate("(el) => [el.naturalWidth, el.naturalHeight]")
        assert size == [1536, 2048], size
        fits_the_phone(page, "verification page")
        page.screenshot(path="/tmp/field-verifier.png", full_page=True)
        row.locator("button.verify").click()
        expect(page.locator(".messages")).to_contain_text("Elimination verified")
        assert not page.errors, page.errors


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_kazakh_and_russian_fit_the_phone_too(server: str, language: str) -> None:
    """Longer words must not push the inspector's pages sideways either."""
    from playwright.sync_api import expect

    with browser_page(viewport=PHONE, is_mobile=True, has_touch=True, locale=language) as page:
        sign_in(page, server, "inspector_almaty", "pw-inspector_almaty")
        expect(page).to_have_url(f"{server}/prevention/queue/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        fits_the_phone(page, f"work queue ({language})")
        for path in ("/inspections/", "/prevention/campaigns/"):
            page.goto(f"{server}{path}")
            fits_the_phone(page, f"{path} ({language})")
        page.click("text=Schools before the holidays")
        fits_the_phone(page, f"campaign page ({language})")
        page.goto(f"{server}/inspections/?status=eliminated&status=verified&status=open")
        page.click("main a:has-text('School 42')")
        fits_the_phone(page, f"facility page ({language})")
        page.screenshot(path=f"/tmp/field-facility-{language}.png", full_page=True)
        assert not page.errors, page.errors

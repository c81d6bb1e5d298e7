"""Script-bearing text in every free-text field that reaches a page or the map runs nowhere,
and no page breaks the Content-Security-Policy.

Each record below carries ``<img src=x onerror=window.__xss=1>`` in its names and notes. The
test opens the pages, the map with its popups, tooltips and incident card, and the patrol
plan with its tooltips in Chromium, and requires that no ``img[src=x]`` element exists (the
text was inserted as text, which the CSP alone would not prove) and that the console shows no
CSP violation or other error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from saqshy.core.testing.live import browser_page, live_server, require_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(__name__)]

BAD = "<img src=x onerror=window.__xss=1>"

SEED = f"""
import datetime as dt, json, os
from django.utils import timezone
from saqshy.accounts.models import Agency
from saqshy.core.testing.personas import make_personas
from saqshy.demo import loader
from saqshy.facilities import services as facilities
from saqshy.incidents import services as incidents
from saqshy.incidents.tests.factories import IncidentFactory
from saqshy.gatherings.tests.factories import GatheringFactory
from saqshy.duty.tests.factories import PersonFactory
from saqshy.trips.tests.factories import TripFactory
from saqshy.pyrotechnics.tests.factories import OutletFactory
from saqshy.equipment.tests.factories import HydrantFactory
from saqshy.forecasts import services as forecasts
from saqshy.duty.patrols import services as patrols
BAD = {BAD!r}
loader.load_regions()
p = make_personas()
police = Agency.objects.get(grants__user=p.dispatcher_astana)
facility = facilities.create_facility(
    acting_user=None, kind="school", name=BAD, lat=51.128, lon=71.430
)
event = GatheringFactory(venue=facility, name=BAD, organiser=BAD)
unit = incidents.create_unit(
    acting_user=None, call_sign=BAD, kind="patrol_car", agency=police, region=p.astana
)
incidents.record_position(acting_user=None, unit=unit, lat=51.127, lon=71.433, at=timezone.now())
incident = IncidentFactory(region=p.astana, description=BAD, address=BAD, lat=51.129, lon=71.431)
incidents.add_note(acting_user=None, incident=incident, text=BAD)
person = PersonFactory(region=p.astana, first_name=BAD, last_name=BAD)
trip = TripFactory(
    region=p.astana, organiser=BAD, departure_name=BAD, destination_name=BAD, contact_name=BAD,
    drivers=[{{"name": BAD, "licence": BAD}}],
)
outlet = OutletFactory(region=p.astana, name=BAD, operator=BAD, lat=51.126, lon=71.428)
hydrant = HydrantFactory(region=p.astana, lat=51.1285, lon=71.4305)
forecasts.compute_forecast(acting_user=None, region=p.astana)
night = timezone.now().replace(hour=20, minute=0, second=0, microsecond=0)
plan = patrols.create_patrol_plan(
    acting_user=None, region=p.astana, starts_at=night, ends_at=night + dt.timedelta(hours=6)
)
ids = dict(
    facility=facility.pk, event=event.pk, incident=incident.pk, person=person.pk, trip=trip.pk,
    outlet=outlet.pk, hydrant=hydrant.pk, plan=plan.pk,
)
with open(os.path.join(os.environ["SAQSHY_VAR_DIR"], "ids.json"), "w") as out:
    json.dump(ids, out)
"""

OPEN_ALL = """(map) => {
  map.eachLayer((layer) => {
    if (layer.getPopup && layer.getPopup()) { layer.openPopup(); layer.closePopup(); }
    if (layer.getTooltip && layer.getTooltip()) layer.openTooltip();
  });
  return document.querySelectorAll('.leaflet-tooltip').length;
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, int]]]:
    require_chromium()
    work = tmp_path_factory.mktemp("xss")
    with live_server(work, SEED) as url:
        yield url, json.loads((Path(work) / "ids.json").read_text())


def _no_script_ran(page: Any, where: str) -> None:
    assert page.evaluate("window.__xss") is None, where
    assert page.locator('img[src="x"]').count() == 0, where
    assert not page.errors, (where, page.errors)


def test_stored_markup_is_shown_as_text_everywhere(server: tuple[str, dict[str, int]]) -> None:
    url, ids = server
    pages = [
        "/facilities/",
        f"/facilities/{ids['facility']}/",
        "/events/",
        f"/events/{ids['event']}/",
        "/incidents/",
        f"/incidents/{ids['incident']}/",
        "/incidents/indicators/",
        "/incidents/new/",
        "/units/",
        "/trips/",
        f"/trips/{ids['trip']}/",
        "/duty/",
        "/duty/personnel/",
        f"/duty/personnel/{ids['person']}/",
        "/duty/readiness/",
        "/duty/plan/",
        "/duty/patrol-plans/",
        f"/duty/patrol-plans/{ids['plan']}/sheet/",
        "/pyrotechnics/",
        "/pyrotechnics/outlets/",
        f"/pyrotechnics/outlets/{ids['outlet']}/",
        "/equipment/hydrants/",
        f"/equipment/hydrants/{ids['hydrant']}/",
        "/prevention/campaigns/",
        "/api/docs/",
        "/api/facilities/",
        "/admin/",
        f"/admin/facilities/facility/{ids['facility']}/change/",
    ]
    with browser_page(locale="en-GB") as page:
        sign_in(page, url, "admin", "pw-admin")
        for path in pages:
            response = page.goto(f"{url}{path}")
            assert response is not None and response.status == 200, path
            page.wait_for_load_state("networkidle")
            _no_script_ran(page, path)

        page.goto(f"{url}/duty/patrol-plans/{ids['plan']}/")
        page.wait_for_function("() => document.getElementById('minimap').leafletMap !== undefined")
        tooltips = page.evaluate(f"({OPEN_ALL})(document.getElementById('minimap').leafletMap)")
        assert tooltips > 0
        assert "onerror" in page.locator(".leaflet-tooltip").first.inner_text()
        _no_script_ran(page, "patrol plan tooltips")

        page.goto(f"{url}/")
        page.wait_for_function("() => document.body.dataset.live === '1'")
        page.evaluate("window.saqshyMap.map.setView([51.128, 71.430], 18)")
        page.wait_for_timeout(500)
        assert page.evaluate(f"({OPEN_ALL})(window.saqshyMap.map)") > 0
        _no_script_ran(page, "map popups and tooltips")
        page.locator(f'.q-item[data-incident-id="{ids["incident"]}"]').click()
        page.wait_for_selector("#incident-card:not([hidden])")
        assert "onerror" in page.locator("#incident-card").inner_text()
        _no_script_ran(page, "incident card")

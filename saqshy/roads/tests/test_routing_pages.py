"""Who closes roads, the route planner around closures, and the road pages (in Kazakh too)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from saqshy.accounts.choices import AgencyKind
from saqshy.core.testing.geography import make_region
from saqshy.core.testing.personas import make_personas
from saqshy.roads import routing, services
from saqshy.roads.choices import ClosureReason, Restriction, SegmentStatus, VehicleClass
from saqshy.roads.models import Closure, Segment
from saqshy.roads.tests.factories import JUNCTIONS, make_network, person

pytestmark = pytest.mark.django_db

M36 = {
    "number": "M-36",
    "name": "Astana – Karaganda",
    "name_kk": "Астана – Қарағанды",
    "name_ru": "Астана – Караганда",
}
REOPENING = timezone.make_aware(dt.datetime(2027, 1, 1, 8, 0))


def _m36() -> dict[str, Segment]:
    roads = make_network()
    for key in ("1-2", "2-4"):
        Segment.objects.filter(pk=roads[key].pk).update(**M36)
        roads[key].refresh_from_db()
    return roads


def _close(segment: Segment, user, **extra) -> Closure:
    fields = {
        "status": SegmentStatus.CLOSED,
        "reason": ClosureReason.BLIZZARD,
        "expected_reopening_at": REOPENING,
        **extra,
    }
    return services.close_segment(acting_user=user, segment=segment, **fields)


def test_who_may_close_and_reopen() -> None:
    roads = make_network()
    astana, almaty = make_region("astana"), make_region("almaty")
    segment = roads["2-4"]
    allowed = [
        person("road_planner", AgencyKind.TRANSPORT, "planner", astana),
        person("road_duty", AgencyKind.TRANSPORT, "duty-officer", astana),
        person("des_duty", AgencyKind.EMERGENCY, "duty-officer", astana),
        person("akimat_duty", AgencyKind.AKIMAT, "duty-officer", astana),
        person("national_road_duty", AgencyKind.TRANSPORT, "duty-officer", None),
    ]
    refused = [
        person("police_planner", AgencyKind.POLICE, "planner", astana),
        person("des_dispatcher", AgencyKind.EMERGENCY, "dispatcher", astana),
        person("akimat_planner", AgencyKind.AKIMAT, "planner", astana),
        person("road_duty_almaty", AgencyKind.TRANSPORT, "duty-officer", almaty),
    ]
    for user in allowed:
        assert services.may_close(user, segment), user.username
        _close(segment, user)
        services.reopen_segment(acting_user=user, segment=segment)
    for user in refused:
        assert not services.may_close(user, segment), user.username
        with pytest.raises(PermissionDenied):
            _close(segment, user)
    _close(segment, allowed[0])
    for user in refused:
        with pytest.raises(PermissionDenied):
            services.reopen_segment(acting_user=user, segment=segment)
    assert Closure.objects.filter(decided_by__in=refused).count() == 0


def test_route_goes_around_a_closure_and_names_it() -> None:
    roads = _m36()
    officer = person("road_duty", AgencyKind.TRANSPORT, "duty-officer", None)
    open_way = routing.explain_route(JUNCTIONS[1], JUNCTIONS[4])
    assert open_way.ok and [r["title"] for r in open_way.roads] == ["M-36 Astana – Karaganda"]
    assert open_way.km == pytest.approx(roads["1-2"].length_km + roads["2-4"].length_km, 0.01)
    _close(roads["2-4"], officer)
    around = routing.explain_route(JUNCTIONS[1], JUNCTIONS[4])
    assert around.ok and around.km > open_way.km and around.hours > open_way.hours
    assert [r["title"] for r in around.roads] == [
        "Astana – Eastern junction",
        "Eastern junction – Karaganda",
    ]
    assert around.avoided[0]["text"] == (
        "Closed: M-36 Astana – Karaganda, blizzard, snow drifts, expected to reopen "
        "01.01.2027 08:00"
    )


def test_route_refused_with_the_blocking_closure() -> None:
    roads = _m36()
    officer = person("road_duty", AgencyKind.TRANSPORT, "duty-officer", None)
    _close(roads["2-4"], officer)
    _close(
        roads["3-4"],
        officer,
        status=SegmentStatus.RESTRICTED,
        restriction=Restriction.NO_BUSES,
        reason=ClosureReason.ICE,
        expected_reopening_at=None,
    )
    # A car may use the restricted way round; a bus may not, and is refused.
    assert routing.explain_route(JUNCTIONS[1], JUNCTIONS[4], VehicleClass.CAR).ok
    refused = routing.explain_route(JUNCTIONS[1], JUNCTIONS[4], VehicleClass.BUS)
    assert refused.kind == routing.BLOCKED
    assert [b["segment"] for b in refused.blocking] == [roads["2-4"].pk]
    assert refused.reason == (
        "Closed: M-36 Astana – Karaganda, blizzard, snow drifts, expected to reopen "
        "01.01.2027 08:00"
    )


def test_pages_render_and_close_from_the_page_in_kazakh(client) -> None:
    p = make_personas()
    roads = _m36()
    officer = person("road_duty", AgencyKind.TRANSPORT, "duty-officer", p.astana)
    client.force_login(officer)
    kk = {"HTTP_ACCEPT_LANGUAGE": "kk"}
    listing = client.get(reverse("roads:segments"), {"q": "M-36"}, **kk)
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "M-36 Астана – Қарағанды" in text and "Eastern junction" not in text
    detail = reverse("roads:segment-detail", args=[roads["2-4"].pk])
    page = client.get(detail, **kk)
    assert page.status_code == 200 and 'id="close-form"' in page.content.decode()
    form = {
        "status": "closed",
        "reason": "blizzard",
        "expected_reopening_at": "2027-01-01T08:00",
        "note": "drifts\x00",
    }
    close = reverse("roads:segment-close", args=[roads["2-4"].pk])
    assert client.post(close, form, **kk).status_code == 400
    assert not Closure.objects.exists()
    response = client.post(close, {**form, "note": "drifts"}, **kk)
    assert response.status_code == 302
    roads["2-4"].refresh_from_db()
    assert roads["2-4"].status == SegmentStatus.CLOSED
    assert Closure.objects.get(segment=roads["2-4"]).note == "drifts"
    page = client.get(detail, **kk).content.decode()
    assert "01.01.2027 08:00" in page and 'id="reopen"' in page
    closures = client.get(reverse("roads:closures"), **kk)
    assert "M-36 Астана – Қарағанды" in closures.content.decode()
    route = client.get(
        reverse("roads:route"),
        {"origin": "Astana", "destination": "Karaganda", "vehicle": "car"},
        **kk,
    )
    assert route.status_code == 200 and "route-map" in route.content.decode()
    bad = client.post(
        reverse("roads:segment-close", args=[roads["1-2"].pk]),
        {"status": "restricted", "reason": "ice"},
    )
    assert bad.status_code == 400 and "errorlist" in bad.content.decode()
    assert client.post(reverse("roads:segment-reopen", args=[roads["2-4"].pk])).status_code == 302
    # A police dispatcher sees the roads but gets no forms and a 403 on closing.
    client.force_login(p.dispatcher_astana)
    page = client.get(detail).content.decode()
    assert 'id="close-form"' not in page
    forbidden = client.post(
        reverse("roads:segment-close", args=[roads["2-4"].pk]),
        {"status": "closed", "reason": "blizzard"},
    )
    assert forbidden.status_code == 403


def test_route_planner_refuses_in_words(client) -> None:
    p = make_personas()
    roads = _m36()
    officer = person("road_duty", AgencyKind.TRANSPORT, "duty-officer", None)
    _close(roads["2-4"], officer)
    _close(roads["3-4"], officer)
    client.force_login(p.dispatcher_astana)
    response = client.get(
        reverse("roads:route"), {"origin": "Astana", "destination": "Karaganda", "vehicle": "bus"}
    )
    text = response.content.decode()
    assert "route-refusal" in text
    assert "Closed: M-36 Astana – Karaganda, blizzard, snow drifts, expected to reopen" in text
    bad = client.get(reverse("roads:route"), {"origin": "Nowhere", "destination": "Karaganda"})
    assert bad.status_code == 400


def test_planner_renames_a_road_on_its_page_and_a_stale_form_is_refused(client) -> None:
    from saqshy.core import versioning

    p = make_personas()
    roads = make_network(p.astana)
    segment = roads["2-4"]
    segment.refresh_from_db()
    url = reverse("roads:segment-edit", args=[segment.pk])
    version = versioning.version_of(segment)
    form = {"version": version, "number": "M-36", "name": "Astana – Karaganda"}
    client.force_login(p.dispatcher_astana)
    assert client.post(url, form).status_code == 403
    client.force_login(p.planner_astana)
    page = client.get(reverse("roads:segment-detail", args=[segment.pk])).content.decode()
    assert "Edit the road&#x27;s name and number" in page or "Edit the road's name" in page
    assert client.post(url, {**form, "name_kk": "Астана – Қарағанды"}).status_code == 302
    segment.refresh_from_db()
    assert segment.title == "M-36 Astana – Karaganda" and segment.name_kk == "Астана – Қарағанды"
    stale = client.post(url, {**form, "number": "A-1"}, follow=True)
    assert stale.status_code == 200
    segment.refresh_from_db()
    assert segment.number == "M-36"

"""The pages: list with filters, writing an alert in three languages with an area, the
approval by another person, update and cancel; the situation map's layer."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from saqshy.alerts.choices import State
from saqshy.alerts.models import Alert
from saqshy.alerts.tests.factories import published
from saqshy.core.testing.personas import make_personas
from saqshy.roads.tests.factories import make_segment

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return make_personas()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(segment_pk: int, region_pk: int) -> dict:
    data = {
        "region": region_pk,
        "status": "Actual",
        "category": "Met",
        "severity": "Extreme",
        "urgency": "Immediate",
        "certainty": "Observed",
        "onset": "31.12.2026 22:00",
        "expires": "2027-01-01T10:00",
        "area_kind": "segment",
        "area_segment": segment_pk,
    }
    for prefix, event, headline in (
        ("kk", "Боран", "Астана – Қарағанды жолында боран"),
        ("ru", "Метель", "Метель на трассе Астана – Караганда"),
        ("en", "Blizzard", "Blizzard on the Astana – Karaganda road"),
    ):
        data[f"event_{prefix}"] = event
        data[f"headline_{prefix}"] = headline
        data[f"instruction_{prefix}"] = "<script>alert(1)</script>"
    return data


def test_write_send_approve_publish_through_the_pages(people) -> None:
    segment = make_segment(1, 2, people.astana)
    author, approver = logged_in(people.planner_astana), logged_in(people.dispatcher_astana)
    page = author.get("/alerts/new/")
    assert page.status_code == 200
    assert 'data-tab="kk"' in page.content.decode()
    response = author.post("/alerts/new/", form_data(segment.pk, people.astana.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    alert = Alert.objects.get()
    assert alert.infos.count() == 3 and alert.areas.get().segment == segment
    detail = author.get(response["Location"]).content.decode()
    assert "&lt;script&gt;" in detail and "<script>alert(1)" not in detail
    author.post(f"/alerts/{alert.pk}/submit/")
    refused = author.post(f"/alerts/{alert.pk}/approve/", follow=True)
    alert.refresh_from_db()
    assert alert.state == State.SUBMITTED
    assert "cannot approve" in refused.content.decode()
    approver.post(f"/alerts/{alert.pk}/approve/")
    alert.refresh_from_db()
    assert alert.state == State.PUBLISHED and alert.approver == people.dispatcher_astana
    listed = author.get("/alerts/?state=published").content.decode()
    assert "Blizzard on the Astana" in listed or "Метель" in listed or "боран" in listed
    assert "31.12.2026" in author.get(f"/alerts/{alert.pk}/").content.decode()
    # Update through the form, prefilled from the original.
    assert author.get(f"/alerts/new/?update={alert.pk}").status_code == 200
    data = form_data(segment.pk, people.astana.pk)
    data["update"] = alert.pk
    data["severity"] = "Severe"
    response = author.post("/alerts/new/", data)
    update = Alert.objects.exclude(pk=alert.pk).get()
    assert update.references == alert and update.msg_type == "Update"
    # Cancel drafts a cancellation.
    author.post(f"/alerts/{alert.pk}/cancel/")
    assert Alert.objects.filter(msg_type="Cancel", references=alert).exists()


def test_the_form_names_what_is_missing(people) -> None:
    segment = make_segment(1, 2, people.astana)
    author = logged_in(people.planner_astana)
    data = form_data(segment.pk, people.astana.pk)
    data["headline_ru"] = ""
    data["area_kind"] = "drawn"
    data["area_polygon"] = json.dumps([[71.3, 51.0], [71.5, 51.0]])
    data["area_desc"] = "Qosshy"
    data["severity"] = "Apocalyptic"
    page = author.post("/alerts/new/", data)
    assert page.status_code == 200
    form = page.context["form"]
    assert {"headline_ru", "severity"} <= set(form.errors)
    data = form_data(segment.pk, people.astana.pk)
    data["area_kind"] = "drawn"
    data["area_polygon"] = json.dumps([[71.3, 51.0], [71.5, 51.0]])
    data["area_desc"] = "Qosshy"
    page = author.post("/alerts/new/", data)
    assert page.status_code == 200 and "area_polygon" in page.context["form"].errors
    data["area_polygon"] = json.dumps([[71.3, 51.0], [71.5, 51.0], [71.5, 51.2]])
    assert author.post("/alerts/new/", data).status_code == 302
    assert Alert.objects.get().areas.get().kind == "drawn"


def test_scope_and_the_map_layer(people) -> None:
    published(people.planner_astana, people.dispatcher_astana, people.astana)
    other = logged_in(people.planner_almaty)
    assert "Blizzard" not in other.get("/alerts/").content.decode()
    assert other.get(f"/alerts/{Alert.objects.get().pk}/").status_code == 404
    assert logged_in(people.no_grants).get("/alerts/new/").status_code == 403
    viewer = logged_in(people.dispatcher_astana)
    features = viewer.get("/api/alerts/map/?lang=kk").json()["features"]
    assert features and features[0]["properties"]["headline"].startswith("Астана – Қарағанды")
    assert "layer-alerts" in viewer.get("/").content.decode()


def test_a_draft_is_edited_and_only_a_draft(people) -> None:
    segment = make_segment(1, 2, people.astana)
    author = logged_in(people.planner_astana)
    author.post("/alerts/new/", form_data(segment.pk, people.astana.pk))
    alert = Alert.objects.get()
    page = author.get(f"/alerts/{alert.pk}/edit/")
    assert page.status_code == 200 and "Метель на трассе" in page.content.decode()
    data = form_data(segment.pk, people.astana.pk)
    data["headline_en"] = "Blizzard: the road is closed"
    data["area_kind"] = "region"
    assert author.post(f"/alerts/{alert.pk}/edit/", data).status_code == 302
    assert alert.infos.get(language="en-US").headline == "Blizzard: the road is closed"
    assert alert.infos.count() == 3 and alert.areas.get().kind == "region"
    author.post(f"/alerts/{alert.pk}/submit/")
    response = author.post(f"/alerts/{alert.pk}/edit/", data)
    assert response.status_code == 302 and response["Location"] == f"/alerts/{alert.pk}/"
    assert logged_in(people.planner_almaty).get(f"/alerts/{alert.pk}/edit/").status_code == 404

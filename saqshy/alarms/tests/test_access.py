"""Households are seen by social services of their region, by the fire dispatch only while an
alarm incident at the household is open, and by nobody through a wildcard grant; every read
and every refused read is in the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from saqshy.accounts.models import Role, User
from saqshy.alarms import queries
from saqshy.alarms.callback import FakeTransport
from saqshy.alarms.models import CallBack, Household, InstallationCampaign
from saqshy.alarms.services import handle_events
from saqshy.alarms.tests.factories import household, installed, person, received, staff
from saqshy.core.models import AuditEntry
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.incidents import services as incident_services
from saqshy.incidents.choices import IncidentStatus
from saqshy.incidents.models import Incident

pytestmark = pytest.mark.django_db


@dataclass
class World:
    p: Personas
    home: Household
    social: User
    social_almaty: User
    fire: User
    fire_almaty: User
    duty: User

    def alarm(self, captured: Any) -> Incident:
        device = self.home.installations.get().device
        with captured(execute=True):
            handle_events([received(device)], acting_user=None)
        found: Incident = Incident.objects.get()
        return found


@pytest.fixture
def w(settings: Any) -> Iterator[World]:
    settings.ALARM_CALLBACK_TRANSPORT = "saqshy.alarms.callback.FakeTransport"
    FakeTransport.reset()
    p = make_personas()
    home = household(p.astana)
    installed(home)
    yield World(
        p=p,
        home=home,
        **staff(p),
        fire_almaty=person("fire_almaty", "duty-officer", "des-almaty", "emergency", p.almaty),
        duty=person("duty_astana", "duty-officer", "sc-astana", "akimat", p.astana),
    )
    FakeTransport.reset()


def _reads(via_prefix: str, user: User) -> list[AuditEntry]:
    return [
        e
        for e in AuditEntry.objects.filter(action="read", object_type="alarms.household")
        if e.actor_id == user.pk and str((e.after or {}).get("via", "")).startswith(via_prefix)
    ]


def _page(user: User, name: str, *args: Any) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(reverse(name, args=args))


def test_wildcard_rules_do_not_grant_personal_data() -> None:
    make_personas()
    for slug in ("commission-analyst", "planner", "duty-officer", "dispatcher", "inspector"):
        perms = set(Role.objects.get(slug=slug).permissions.values_list("codename", flat=True))
        assert "view_household" not in perms, slug
        assert "view_callback" not in perms, slug
        if slug != "inspector":
            assert "view_installation" in perms, slug
    admin = set(Role.objects.get(slug="admin").permissions.values_list("codename", flat=True))
    assert {"view_household", "change_household", "view_callback"} <= admin
    social = Role.objects.get(slug="social-services")
    assert (social.name_kk, social.name_ru) == ("Әлеуметтік қызмет", "Социальная служба")
    codes = set(social.permissions.values_list("codename", flat=True))
    assert {"view_household", "add_household", "change_household", "add_installation"} <= codes
    assert {"change_installationcampaign", "view_householdcategory"} <= codes
    assert "view_callback" not in codes
    assert "view_incident" not in codes


def test_social_services_see_the_households_of_their_region_only(w: World) -> None:
    assert list(queries.households_for(w.social)) == [w.home]
    assert list(queries.households_for(w.social_almaty)) == []


@pytest.mark.parametrize("who", ["planner", "duty", "police_dispatcher", "analyst", "fire"])
def test_other_roles_are_refused_and_the_refusal_is_audited(w: World, who: str) -> None:
    user = {
        "planner": w.p.planner_astana,
        "duty": w.duty,
        "police_dispatcher": w.p.dispatcher_astana,
        "analyst": w.p.analyst_national,
        "fire": w.fire,
    }[who]
    assert not queries.households_for(user).exists()

    assert _page(user, "alarms:household", w.home.pk).status_code == 404

    refused = _reads("alarms:household-refused", user)
    assert len(refused) == 1
    assert refused[0].after["ids"] == [w.home.pk]
    assert _reads("alarms:household-refused", user)[0].region_id == w.p.astana.pk
    listed = _page(user, "alarms:households")
    assert w.home.address not in listed.content.decode()


def test_a_household_page_is_an_audited_read(w: World) -> None:
    response = _page(w.social, "alarms:household", w.home.pk)
    assert response.status_code == 200
    assert w.home.contact_phone in response.content.decode()
    assert len(_reads("alarms:household", w.social)) == 1

    listed = _page(w.social, "alarms:households")
    assert w.home.address in listed.content.decode()
    assert len(_reads("alarms:households", w.social)) == 1


def test_the_fire_dispatch_sees_the_household_only_while_the_alarm_is_open(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    incident = w.alarm(django_capture_on_commit_callbacks)

    assert list(queries.households_for(w.fire)) == [w.home]
    assert _page(w.fire, "alarms:household", w.home.pk).status_code == 200
    card = _page(w.fire, "incidents:detail", incident.pk).content.decode()
    assert 'id="alarm-household"' in card
    assert w.home.contact_phone in card
    assert len(_reads("incidents:alarm-household", w.fire)) == 1
    map_card = _page(w.fire, "incidents:desk-card", incident.pk).content.decode()
    assert w.home.contact_phone in map_card
    assert len(_reads("incidents:alarm-household", w.fire)) == 2
    assert (
        w.home.contact_phone
        not in _page(w.p.dispatcher_astana, "incidents:desk-card", incident.pk).content.decode()
    )
    # Not the police dispatcher, not the fire service of another region.
    assert (
        w.home.contact_phone
        not in _page(w.p.dispatcher_astana, "incidents:detail", incident.pk).content.decode()
    )
    assert not queries.households_for(w.p.dispatcher_astana).exists()
    assert not queries.households_for(w.fire_almaty).exists()

    incident_services.close(acting_user=w.fire, incident=incident, resolution="done")

    assert not queries.households_for(w.fire).exists()
    assert _page(w.fire, "alarms:household", w.home.pk).status_code == 404
    card = _page(w.fire, "incidents:detail", incident.pk).content.decode()
    assert 'id="alarm-household"' not in card
    assert w.home.contact_phone not in card


def test_the_dispatcher_records_the_answer_on_the_incident_page(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    incident = w.alarm(django_capture_on_commit_callbacks)
    callback = CallBack.objects.get()
    client = Client()
    client.force_login(w.fire)
    response = client.post(
        reverse("alarms:callback-answer", args=[callback.pk]),
        {"answer": "false_alarm", "text": "cooking"},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CANCELLED
    callback.refresh_from_db()
    assert (callback.answer, callback.answered_by_id) == ("false_alarm", w.fire.pk)


# --- API --------------------------------------------------------------------------------------


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_households_are_restricted_and_read_audited(w: World) -> None:
    listed = _api(w.social).get(reverse("api:alarm-household-list"))
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [w.home.pk]
    assert len(_reads("api:alarm-household-list", w.social)) == 1

    url = reverse("api:alarm-household-detail", args=[w.home.pk])
    assert _api(w.social).get(url).status_code == 200
    assert len(_reads("api:alarm-household-retrieve", w.social)) == 1

    assert _api(w.p.planner_astana).get(url).status_code == 404
    assert len(_reads("alarms:household-refused:api:", w.p.planner_astana)) == 1
    assert _api(w.social_almaty).get(url).status_code == 404
    assert len(_reads("alarms:household-refused:api:", w.social_almaty)) == 1
    other = _api(w.p.analyst_national).get(reverse("api:alarm-household-list"))
    assert other.json()["results"] == []


def test_api_fire_dispatch_while_open(w: World, django_capture_on_commit_callbacks: Any) -> None:
    url = reverse("api:alarm-household-detail", args=[w.home.pk])
    assert _api(w.fire).get(url).status_code == 404
    w.alarm(django_capture_on_commit_callbacks)
    assert _api(w.fire).get(url).status_code == 200
    callbacks = _api(w.fire).get(reverse("api:alarm-callback-list")).json()["results"]
    assert [row["to_number"] for row in callbacks] == [w.home.contact_phone]


def test_api_social_services_add_a_household_and_bad_input_names_the_field(w: World) -> None:
    url = reverse("api:alarm-household-list")
    body = {
        "category": "large_family",
        "address": "Mangilik El 10",
        "lat": 51.12,
        "lon": 71.43,
        "region": "astana",
        "contact_name": "A",
        "contact_phone": "+7701",
    }
    bad = _api(w.social).post(url, {**body, "lat": 200}, format="json")
    assert bad.status_code == 400
    assert "lat" in bad.json()
    assert _api(w.social).post(url, {**body, "category": "nope"}, format="json").status_code == 400
    created = _api(w.social).post(url, body, format="json")
    assert created.status_code == 201, created.json()
    assert Household.objects.filter(address="Mangilik El 10").exists()
    elsewhere = _api(w.social_almaty).post(url, body, format="json")
    assert elsewhere.status_code == 403


def test_api_answer_with_a_bad_answer_is_400_naming_the_field(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    incident = w.alarm(django_capture_on_commit_callbacks)
    callback = CallBack.objects.get()
    url = reverse("api:alarm-callback-answer", args=[callback.pk])
    bad = _api(w.fire).post(url, {"answer": "maybe"}, format="json")
    assert bad.status_code == 400
    assert "answer" in bad.json()
    good = _api(w.fire).post(url, {"answer": "fire_confirmed", "text": "smoke"}, format="json")
    assert good.status_code == 200, good.json()
    assert good.json()["answer"] == "fire_confirmed"
    incident.refresh_from_db()
    assert incident.is_open


def test_campaign_progress_per_district(w: World) -> None:
    from saqshy.accounts.models import District

    district = District.objects.create(region=w.p.astana, slug="esil", name_en="Esil")
    response = _api(w.social).post(
        reverse("api:alarm-campaign-list"),
        {
            "name": "Winter 2026",
            "region": "astana",
            "starts_on": "2026-11-01",
            "target_count": 4,
            "targets": {str(district.pk): 4},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    campaign = InstallationCampaign.objects.get()
    for _ in range(2):
        installation = installed(household(w.p.astana, district=district))
        installation.campaign = campaign
        installation.save()
    detail = _api(w.social).get(reverse("api:alarm-campaign-detail", args=[campaign.pk])).json()
    assert detail["progress"] == [
        {"district_id": district.pk, "district": "Esil", "target": 4, "installed": 2, "percent": 50}
    ]
    page = _page(w.social, "alarms:campaign", campaign.pk)
    assert page.status_code == 200
    assert 'value="50"' in page.content.decode()
    assert _page(w.social, "alarms:campaigns").status_code == 200


def test_installations_page_and_nav(w: World) -> None:
    response = _page(w.social, "alarms:installations")
    assert response.status_code == 200
    body = response.content.decode()
    assert w.home.installations.get().device.serial in body
    assert reverse("alarms:installations") in body
    assert _page(w.p.no_grants, "alarms:installations").status_code == 403


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("kk", ["Үй шаруашылығы", "Байланыс тұлғасы", "Келісім"]),
        ("ru", ["Домохозяйство", "Контактное лицо", "Согласие"]),
    ],
)
def test_the_household_page_speaks_kazakh_and_russian(
    w: World, language: str, words: list[str]
) -> None:
    client = Client(headers={"accept-language": language})
    client.force_login(w.social)
    client.cookies["django_language"] = language
    body = client.get(reverse("alarms:household", args=[w.home.pk])).content.decode()
    for word in words:
        assert word in body, word

"""Social services add and edit households on pages: through the services (audit, versions),
with a picked address and consent; nobody else gets the forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
from django.test import Client
from django.urls import reverse

from saqshy.accounts.models import District, Region, User
from saqshy.alarms.callback import FakeTransport
from saqshy.alarms.models import Household, HouseholdCategory
from saqshy.alarms.services import handle_events
from saqshy.alarms.tests.factories import household, installed, person, received, staff
from saqshy.core import versioning
from saqshy.core.models import AuditEntry
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.pages import ScopedPageTests, Snapshot
from saqshy.core.testing.personas import Personas, make_personas

pytestmark = pytest.mark.django_db

REVERSED = "проспект Кабанбай Батыра, 53"


@dataclass
class World:
    p: Personas
    home: Household
    social: User
    social_almaty: User
    fire: User
    district: District

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def w(monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    # Reverse geocoding is the geocoder's business (geocoding/tests); here only its use.
    monkeypatch.setattr("saqshy.alarms.forms.describe_point", lambda lat, lon: REVERSED)
    p = make_personas()
    yield World(
        p=p,
        home=household(p.astana),
        **staff(p),
        district=District.objects.create(region=p.astana, slug="esil", name_en="Esil"),
    )


def _payload(w: World, **extra: Any) -> dict[str, Any]:
    lat, lon = CENTRES["astana"]
    return {
        "region": w.p.astana.pk,
        "category": HouseholdCategory.objects.get(code="large_family").pk,
        "address": "Mangilik El 10",
        "lat": lat + 0.01,
        "lon": lon,
        "district": w.district.pk,
        "contact_name": "Dana Ospanova",
        "contact_phone": "+77015550101",
        "language": "kk",
        "consent_given": "on",
        "consent_date": "2026-11-02",
        "notes": "Second floor",
        **extra,
    }


def _edit_payload(home: Household, **changes: Any) -> dict[str, Any]:
    """The edit form as the page showed it, with ``changes`` typed over it."""
    shown = {
        "version": versioning.version_of(home),
        "region": home.region_id,
        "category": home.category_id,
        "address": home.address,
        "lat": home.lat,
        "lon": home.lon,
        "district": home.district_id or "",
        "contact_name": home.contact_name,
        "contact_phone": home.contact_phone,
        "language": home.language,
        "consent_given": "on" if home.consent_given else "",
        "consent_date": home.consent_date.isoformat() if home.consent_date else "",
        "notes": home.notes,
    }
    return {**shown, **changes}


def _entries(action: str, **filters: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, object_type="alarms.household", **filters))


def _errors(response: Any) -> Any:
    return response.context["form"].errors if response.context else response.status_code


def test_social_services_add_a_household_through_the_page(w: World) -> None:
    client = w.client(w.social)
    listed = client.get(reverse("alarms:households")).content.decode()
    assert reverse("alarms:household-new") in listed
    page = client.get(reverse("alarms:household-new"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-geocode="search"' in body
    assert 'data-geocode-lat="id_lat"' in body
    assert 'data-geocode-region="astana"' in body
    assert "geocoding/address.js" in body
    # One region in scope: it is fixed, not chosen.
    assert f'<input type="hidden" name="region" value="{w.p.astana.pk}"' in body

    response = client.post(reverse("alarms:household-new"), _payload(w))

    assert response.status_code == 302, _errors(response)
    created = Household.objects.get(address="Mangilik El 10")
    assert response["Location"] == reverse("alarms:household", args=[created.pk])
    assert (created.lat, created.lon) == (CENTRES["astana"][0] + 0.01, CENTRES["astana"][1])
    assert (created.region, created.district) == (w.p.astana, w.district)
    assert (created.consent_given, created.consent_date) == (True, dt.date(2026, 11, 2))
    assert created.category.code == "large_family"
    [entry] = _entries("create", object_id=str(created.pk))
    assert entry.actor_id == w.social.pk
    assert entry.region_id == w.p.astana.pk


def test_an_empty_address_with_a_location_is_named_by_reverse_geocoding(w: World) -> None:
    response = w.client(w.social).post(reverse("alarms:household-new"), _payload(w, address=""))
    assert response.status_code == 302, _errors(response)
    assert Household.objects.filter(address=REVERSED).count() == 1


def test_a_typed_but_not_picked_address_is_refused_naming_the_address(w: World) -> None:
    before = Household.objects.count()
    response = w.client(w.social).post(reverse("alarms:household-new"), _payload(w, lat="", lon=""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["address"]
    assert "pick the address from the list" in errors["address"][0]
    assert Household.objects.count() == before


@pytest.mark.parametrize(
    ("missing", "field", "words"),
    [
        ({"consent_given": ""}, "consent_given", "only with its consent"),
        ({"consent_date": ""}, "consent_date", "date the household gave consent"),
        ({"consent_date": "2999-01-01"}, "consent_date", "cannot be in the future"),
    ],
)
def test_a_household_without_consent_is_refused(
    w: World, missing: dict[str, str], field: str, words: str
) -> None:
    before = Household.objects.count()
    response = w.client(w.social).post(reverse("alarms:household-new"), _payload(w, **missing))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert words in errors[field][0]
    assert Household.objects.count() == before


def test_a_district_of_another_region_is_refused(w: World) -> None:
    elsewhere = District.objects.create(region=w.p.almaty, slug="medeu", name_en="Medeu")
    response = w.client(w.social).post(
        reverse("alarms:household-new"), _payload(w, district=elsewhere.pk)
    )
    assert response.status_code == 200
    assert "district" in response.context["form"].errors


def test_social_services_edit_a_household_and_only_the_change_is_written(w: World) -> None:
    client = w.client(w.social)
    detail = client.get(reverse("alarms:household", args=[w.home.pk])).content.decode()
    url = reverse("alarms:household-edit", args=[w.home.pk])
    assert url in detail
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="2026-10-01"' in page.content.decode()  # the date input, shown d.m.Y locally
    reads_before = len(_entries("read"))

    response = client.post(url, _edit_payload(w.home, contact_phone="+77017770000"))

    assert response.status_code == 302, _errors(response)
    w.home.refresh_from_db()
    assert w.home.contact_phone == "+77017770000"
    assert w.home.address == "Kabanbay batyr 53, apt 12"
    [entry] = _entries("update", object_id=str(w.home.pk))
    assert entry.actor_id == w.social.pk
    assert set(entry.after) == {"contact_phone"}
    assert len(_entries("read")) == reads_before + 1  # the edit page read it, audited


def test_a_stale_edit_is_refused_and_changes_nothing(w: World) -> None:
    client = w.client(w.social)
    url = reverse("alarms:household-edit", args=[w.home.pk])
    stale = _edit_payload(w.home, contact_name="Someone Else")
    Household.objects.filter(pk=w.home.pk).update(contact_phone="+77019990000")

    response = client.post(url, stale)

    assert response.status_code == 200
    assert "changed by someone else" in " ".join(response.context["form"].non_field_errors())
    w.home.refresh_from_db()
    assert (w.home.contact_name, w.home.contact_phone) == ("Aigerim Sadykova", "+77019990000")
    assert _entries("update") == []


def test_the_edit_page_refuses_an_address_typed_but_not_picked(w: World) -> None:
    url = reverse("alarms:household-edit", args=[w.home.pk])
    payload = _edit_payload(w.home, address="Somewhere 1", lat="", lon="")
    response = w.client(w.social).post(url, payload)
    assert response.status_code == 200
    assert "pick the address from the list" in response.context["form"].errors["address"][0]
    w.home.refresh_from_db()
    assert w.home.address == "Kabanbay batyr 53, apt 12"


def test_dispatchers_get_no_household_forms(w: World) -> None:
    new, edit = reverse("alarms:household-new"), reverse("alarms:household-edit", args=[w.home.pk])
    before = (list(Household.objects.values()), _entries("create"), _entries("update"))
    for user in (w.fire, w.p.dispatcher_astana):
        client = w.client(user)
        assert client.get(new).status_code == 403
        assert client.post(new, _payload(w)).status_code == 403
        assert client.get(edit).status_code == 404
        assert client.post(edit, _edit_payload(w.home, notes="x")).status_code == 404
        assert new not in client.get(reverse("alarms:households")).content.decode()
        refused = _entries("read", actor_id=user.pk)
        assert [e.after["via"] for e in refused] == [
            "alarms:household-refused:alarms:household-edit"
        ] * 2
    assert (list(Household.objects.values()), _entries("create"), _entries("update")) == before


def test_a_fire_dispatcher_who_sees_the_household_during_an_alarm_may_not_edit_it(
    w: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.ALARM_CALLBACK_TRANSPORT = "saqshy.alarms.callback.FakeTransport"
    FakeTransport.reset()
    device = installed(w.home).device
    with django_capture_on_commit_callbacks(execute=True):
        handle_events([received(device)], acting_user=None)
    FakeTransport.reset()
    client = w.client(w.fire)
    detail = client.get(reverse("alarms:household", args=[w.home.pk]))
    assert detail.status_code == 200  # the alarm incident is open: they may look
    edit = reverse("alarms:household-edit", args=[w.home.pk])
    assert edit not in detail.content.decode()
    assert client.get(edit).status_code == 403
    assert client.post(edit, _edit_payload(w.home, notes="x")).status_code == 403
    w.home.refresh_from_db()
    assert w.home.notes == ""
    assert _entries("update") == []


def test_another_regions_household_is_404(w: World) -> None:
    url = reverse("alarms:household-edit", args=[w.home.pk])
    client = w.client(w.social_almaty)
    assert client.get(url).status_code == 404
    assert client.post(url, _edit_payload(w.home, notes="x")).status_code == 404
    assert _entries("update") == []
    # Nor can they add one in Astana: the region is not theirs to choose.
    response = client.post(reverse("alarms:household-new"), _payload(w, district=""))
    assert response.status_code == 200
    assert "region" in response.context["form"].errors


class HouseholdPageTests(ScopedPageTests):
    """The inherited page proofs (``core.testing.pages``), with social services writing."""

    model = Household
    list_url = "alarms:households"
    detail_url = "alarms:household"
    create_url = "alarms:household-new"
    edit_url = "alarms:household-edit"
    writer = "social_almaty"
    list_user = "social_almaty"
    social: ClassVar[User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.social = person(
            "social_almaty", "social-services", "akimat-almaty", "akimat", cls.personas.almaty
        )

    def user(self, name: str) -> User:
        return self.social if name == "social_almaty" else super().user(name)

    def snapshot(self) -> Snapshot:
        # A refused household read is audited on purpose (queries.household_or_refuse); what
        # must not change is the households and every entry that records a write.
        rows = list(self.model.objects.order_by("pk").values())
        return rows, AuditEntry.objects.exclude(action="read").count()

    def make_object(self, region: Region) -> Household:
        return household(region)

    def form_payload(self, region: Region) -> dict[str, Any]:
        lat, lon = CENTRES[region.slug]
        return {
            "region": region.pk,
            "category": HouseholdCategory.objects.get(code="low_income").pk,
            "address": "Abay 150, apt 4",
            "lat": lat + 0.01,
            "lon": lon,
            "contact_name": "Yerlan Nurov",
            "contact_phone": "+77029990011",
            "language": "ru",
            "consent_given": True,
            "consent_date": "2026-09-15",
            "notes": "Ring twice",
        }


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("kk", ["Үй шаруашылығын қосу", "ұсыныстар тізімінен таңдаңыз"]),
        ("ru", ["Добавить домохозяйство", "выберите его из списка подсказок"]),
    ],
)
def test_the_household_form_speaks_kazakh_and_russian(
    w: World, language: str, words: list[str]
) -> None:
    client = w.client(w.social)
    client.cookies["django_language"] = language
    body = client.get(reverse("alarms:household-new")).content.decode()
    for word in words:
        assert word in body, word

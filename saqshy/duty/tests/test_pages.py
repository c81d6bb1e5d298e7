"""Duty pages: scoped lists, absences, readiness set from the page and shown everywhere."""

from __future__ import annotations

from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse

from saqshy.accounts.models import Agency
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.duty.models import Absence, Person, Readiness
from saqshy.duty.tests.factories import (
    PersonFactory,
    PostFactory,
    PostNeedFactory,
    ShiftFactory,
    hour,
)


class DutyPageTests(TestCase):
    personas: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        p = cls.personas
        cls.person = PersonFactory(last_name="Kassymov")
        cls.other = PersonFactory(
            agency=Agency.objects.get(code="police-astana"), last_name="Astanayev"
        )
        post = PostFactory(name="Almaty-1 station", kind="strategic")
        PostNeedFactory(post=post, people=2)
        PostFactory(region=p.astana, name="Baiterek")

    def setUp(self) -> None:
        cache.clear()

    def test_posts_and_personnel_are_scoped(self) -> None:
        self.client.force_login(self.personas.planner_almaty)
        response = self.client.get(reverse("duty:posts"))
        self.assertContains(response, "Almaty-1 station")
        self.assertContains(response, 'data-status="unstaffed"')
        self.assertNotContains(response, "Baiterek")
        response = self.client.get(reverse("duty:personnel"))
        self.assertContains(response, "Kassymov")
        self.assertNotContains(response, "Astanayev")
        url = reverse("duty:person", args=[self.other.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_absence_added_and_removed_from_the_person_page(self) -> None:
        self.client.force_login(self.personas.planner_almaty)
        url = reverse("duty:absence-add", args=[self.person.pk])
        data = {"kind": "sick", "starts_at": "2030-01-01T08:00", "ends_at": "2030-01-03T08:00"}
        response = self.client.post(url, data, follow=True)
        self.assertContains(response, "Absence recorded")
        absence = Absence.objects.get(person=self.person)
        response = self.client.post(reverse("duty:absence-remove", args=[absence.pk]), follow=True)
        self.assertContains(response, "Absence removed")
        self.assertFalse(Absence.objects.exists())
        self.client.force_login(self.personas.dispatcher_astana)
        self.assertEqual(self.client.post(url, data).status_code, 404)

    def test_a_reader_cannot_set_readiness(self) -> None:
        self.client.force_login(self.personas.dispatcher_astana)
        page = self.client.get(reverse("duty:readiness"))
        self.assertNotContains(page, 'id="readiness-form"')
        response = self.client.post(reverse("duty:readiness"), {})
        self.assertEqual(response.status_code, 403)

    def test_readiness_set_on_the_page_shows_in_the_banner_of_every_page(self) -> None:
        self.client.force_login(self.personas.planner_almaty)
        self.assertNotContains(self.client.get(reverse("duty:posts")), "readiness-banner")
        data = {
            "region": self.personas.almaty.pk,
            "level": "high_alert",
            "starts_at": hour(-1).strftime("%Y-%m-%dT%H:%M"),
            "reason": "Snowstorm warning",
        }
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("duty:readiness"), data, follow=True)
        self.assertContains(response, "Readiness level set")
        record = Readiness.objects.get()
        self.assertEqual(record.set_by, self.personas.planner_almaty)
        for name in ("duty:posts", "gatherings:list"):
            page = self.client.get(reverse(name))
            self.assertContains(page, 'id="readiness-banner"')
            self.assertContains(page, "Snowstorm warning")
        self.client.force_login(self.personas.dispatcher_astana)
        self.assertNotContains(self.client.get(reverse("duty:posts")), "readiness-banner")

    def test_personnel_csv_import_is_all_or_nothing(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.client.force_login(self.personas.planner_almaty)
        good = (
            "agency,personnel_number,first_name,last_name,skills\n"
            "police-almaty,X1,Dana,Sarsenova,patrol;escort\n"
        )
        bad = good + "police-almaty,X2,,Nobody,\n"
        url = reverse("duty:person-import")
        region = self.personas.almaty.pk
        response = self.client.post(
            url, {"region": region, "file": SimpleUploadedFile("p.csv", bad.encode())}
        )
        self.assertContains(response, "Row 2: first_name")
        self.assertFalse(Person.objects.filter(personnel_number__startswith="X").exists())
        response = self.client.post(
            url, {"region": region, "file": SimpleUploadedFile("p.csv", good.encode())}
        )
        self.assertContains(response, "1 added")
        self.assertEqual(Person.objects.get(personnel_number="X1").skills, ["patrol", "escort"])


class PostRosterScopeTests(TestCase):
    """The post page lists only the rostered people of agencies the viewer may see."""

    personas: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()
        cls.post = PostFactory(name="Medeu gate")
        ShiftFactory(post=cls.post, person=PersonFactory(last_name="Policeova"))
        rescuer = PersonFactory(agency=Agency.objects.get(code="des-almaty"), last_name="Rescuev")
        ShiftFactory(post=cls.post, person=rescuer)

    def test_other_agencies_people_are_not_listed(self) -> None:
        self.client.force_login(self.personas.planner_almaty)
        page = self.client.get(reverse("duty:post", args=[self.post.pk]))
        self.assertContains(page, "Policeova")
        self.assertNotContains(page, "Rescuev")

    def test_an_all_agency_reader_sees_everyone(self) -> None:
        self.client.force_login(self.personas.analyst_national)
        page = self.client.get(reverse("duty:post", args=[self.post.pk]))
        self.assertContains(page, "Policeova")
        self.assertContains(page, "Rescuev")

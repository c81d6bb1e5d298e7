"""Exercise incidents: made so by the create request (``is_exercise`` or the
``X-Saqshy-Exercise`` header), read only afterwards, shown with a badge, never joined to or
merged with a real incident."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from saqshy.core.context import exercise
from saqshy.core.exceptions import Conflict
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.core.testing.personas import make_personas
from saqshy.incidents import services
from saqshy.incidents.models import Incident
from saqshy.incidents.tests.factories import incident_type

LAT, LON = CENTRES["astana"]


def _payload(**extra: Any) -> dict[str, Any]:
    return {"type": "fire", "lat": LAT, "lon": LON, "description": "Smoke", **extra}


class ExerciseIncidentAPITests(PersonaTestCase):
    def setUp(self) -> None:
        incident_type("fire")
        self.login(self.personas.dispatcher_astana)

    def test_is_exercise_on_create_makes_an_exercise_incident(self) -> None:
        response = self.client.post(
            reverse("api:incident-list"), _payload(is_exercise=True), format="json"
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertIs(response.json()["is_exercise"], True)
        self.assertTrue(Incident.objects.get(pk=response.json()["id"]).is_exercise)

    def test_the_header_makes_an_exercise_incident(self) -> None:
        response = self.client.post(
            reverse("api:incident-list"), _payload(), format="json", HTTP_X_SAQSHY_EXERCISE="1"
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertTrue(Incident.objects.get(pk=response.json()["id"]).is_exercise)

    def test_the_same_key_as_a_drill_is_not_a_retry_of_the_real_call(self) -> None:
        url = reverse("api:incident-list")
        real = self.client.post(url, _payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        self.assertEqual(real.status_code, 201, real.content)
        drill = self.client.post(
            url, _payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-1", HTTP_X_SAQSHY_EXERCISE="1"
        )
        self.assertEqual(drill.status_code, 422, drill.content)
        self.assertEqual(Incident.objects.count(), 1)
        self.assertFalse(Incident.objects.get().is_exercise)

    def test_without_either_the_incident_is_real(self) -> None:
        response = self.client.post(reverse("api:incident-list"), _payload(), format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertIs(response.json()["is_exercise"], False)
        self.assertFalse(Incident.objects.get().is_exercise)

    def test_the_header_grants_nothing(self) -> None:
        self.login(self.personas.planner_astana)  # may view incidents, not record them
        response = self.client.post(
            reverse("api:incident-list"), _payload(), format="json", HTTP_X_SAQSHY_EXERCISE="1"
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Incident.objects.exists())

    def test_a_bad_flag_is_refused_naming_the_field(self) -> None:
        response = self.client.post(
            reverse("api:incident-list"), _payload(is_exercise="perhaps"), format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("is_exercise", response.json())

    def test_the_intake_form_records_an_exercise_call_when_ticked(self) -> None:
        self.client.force_login(self.personas.dispatcher_astana)
        form = {"type": incident_type("fire").pk, "source": "call_101", "lat": LAT, "lon": LON}
        for extra in ({"is_exercise": "on"}, {"lat": LAT + 0.05}):
            answer = self.client.post(
                reverse("incidents:create"), {**form, **extra}, format="multipart"
            )
            self.assertEqual(answer.status_code, 302)
        self.assertEqual(
            sorted(Incident.objects.values_list("is_exercise", flat=True)), [False, True]
        )

    def test_the_list_and_the_page_show_the_badge(self) -> None:
        with exercise():
            drill = services.report_incident(
                acting_user=self.personas.dispatcher_astana,
                type=incident_type("fire"),
                lat=LAT,
                lon=LON,
            )
        real = services.report_incident(
            acting_user=self.personas.dispatcher_astana,
            type=incident_type("fire"),
            lat=LAT + 0.05,
            lon=LON,
        )
        self.client.force_login(self.personas.dispatcher_astana)
        page = self.client.get(reverse("incidents:detail", args=[drill.pk])).content.decode()
        self.assertIn("exercise-badge", page)
        self.assertNotIn(
            "exercise-badge",
            self.client.get(reverse("incidents:detail", args=[real.pk])).content.decode(),
        )
        listed = self.client.get(reverse("incidents:list")).content.decode()
        self.assertEqual(listed.count('class="badge exercise-badge"'), 1)
        for language, word in (("kk", "ЖАТТЫҒУ"), ("ru", "УЧЕНИЯ"), ("en", "EXERCISE")):
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            page = self.client.get(reverse("incidents:detail", args=[drill.pk]))
            self.assertIn(word, page.content.decode(), language)


class ExerciseNeverMixesWithRealTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()

    def _report(self, lat: float = LAT) -> Incident:
        return services.report_incident(
            acting_user=self.p.dispatcher_astana, type=incident_type("fire"), lat=lat, lon=LON
        )

    def test_an_exercise_call_is_never_a_duplicate_of_a_real_incident(self) -> None:
        real = self._report()
        with exercise():
            drill = self._report()
            drill_again = self._report()
        real_again = self._report()
        self.assertTrue(drill.is_exercise)
        self.assertIsNone(drill.duplicate_of_id)
        self.assertEqual(drill_again.duplicate_of_id, drill.pk)
        self.assertEqual(real_again.duplicate_of_id, real.pk)
        self.assertFalse(real_again.is_exercise)

    def test_a_real_incident_is_never_merged_with_an_exercise_one(self) -> None:
        real = self._report()
        with exercise():
            drill = self._report()
        Incident.objects.filter(pk=drill.pk).update(duplicate_of=real)
        drill.refresh_from_db()
        with self.assertRaises(Conflict) as refused:
            services.merge_duplicate(acting_user=self.p.dispatcher_astana, incident=drill)
        self.assertEqual(refused.exception.code, "exercise_mixed")
        drill.refresh_from_db()
        self.assertIsNone(drill.merged_at)

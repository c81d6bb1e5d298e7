"""Journal lines are stored as codes with parameters and read in the reader's language."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import translation

from saqshy.core import messages
from saqshy.core.testing.geography import CENTRES
from saqshy.incidents import journal, services
from saqshy.incidents.models import JournalEntry
from saqshy.incidents.tests.factories import UnitFactory, incident_type
from saqshy.incidents.tests.test_api import _WithAlmatyDispatcher

_MIGRATION = importlib.import_module("saqshy.incidents.migrations.0005_journal_codes")


class JournalCodeTests(_WithAlmatyDispatcher):
    def setUp(self) -> None:
        lat, lon = CENTRES["almaty"]
        self.incident = services.report_incident(
            acting_user=self.dispatcher_almaty, type=incident_type("fire"), lat=lat, lon=lon
        )
        unit: Any = UnitFactory(region=self.incident.region, lat=lat, lon=lon)
        self.unit = unit
        services.dispatch(acting_user=self.dispatcher_almaty, incident=self.incident, units=[unit])

    def lines(self) -> list[JournalEntry]:
        return list(JournalEntry.objects.filter(incident=self.incident).order_by("at", "id"))

    def test_lines_are_stored_as_codes_and_params(self) -> None:
        coded = {(e.code, tuple(sorted(e.params))) for e in self.lines()}
        self.assertIn(("unit.dispatched", ("unit",)), coded)
        self.assertIn(("incident.status", ("new", "old")), coded)
        status = next(e for e in self.lines() if e.code == "incident.status")
        self.assertEqual(status.params, {"old": "new", "new": "dispatched"})
        self.assertEqual(status.text, "Status: New → Dispatched.")

    def test_a_line_written_in_kazakh_reads_in_russian(self) -> None:
        with translation.override("kk"):
            services.advance(
                acting_user=self.dispatcher_almaty,
                incident=self.incident,
                to_status="en_route",
                reason="Жол жабық",
            )
        line = self.lines()[-2] if self.lines()[-1].code == "unit.status" else self.lines()[-1]
        self.assertEqual(line.code, "incident.status")
        with translation.override("ru"):
            russian = line.display_text
        with translation.override("kk"):
            kazakh = line.display_text
        self.assertNotIn("Status", russian)
        self.assertNotEqual(russian, kazakh)
        self.assertTrue(russian.endswith("Жол жабық"), russian)

    def test_api_gives_text_in_the_readers_language_with_code_and_params(self) -> None:
        self.login(self.dispatcher_almaty)
        url = reverse("api:incident-journal", args=[self.incident.pk])
        english = self.client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
        russian = self.client.get(url, HTTP_ACCEPT_LANGUAGE="ru").json()
        by_code = {e["code"]: e for e in russian}
        line = by_code["unit.dispatched"]
        self.assertEqual(line["params"], {"unit": self.unit.call_sign})
        with translation.override("ru"):
            expected = messages.render("unit.dispatched", line["params"])
        self.assertEqual(line["text"], expected)
        self.assertNotEqual(
            line["text"], {e["code"]: e for e in english}["unit.dispatched"]["text"]
        )

    def test_detail_page_renders_the_journal_in_kazakh(self) -> None:
        self.client.force_login(self.dispatcher_almaty)
        page = self.client.get(
            reverse("incidents:detail", args=[self.incident.pk]), HTTP_ACCEPT_LANGUAGE="kk"
        ).content.decode()
        with translation.override("kk"):
            expected = messages.render("unit.dispatched", {"unit": self.unit.call_sign})
        self.assertIn(expected, page)
        self.assertNotIn("dispatched.", page)

    def test_notes_stay_as_written(self) -> None:
        note = services.add_note(
            acting_user=self.dispatcher_almaty, incident=self.incident, text="Status: door locked"
        )
        self.assertEqual(note.code, "")
        with translation.override("ru"):
            self.assertEqual(note.display_text, "Status: door locked")


class DataStepTests(_WithAlmatyDispatcher):
    """The migration's data step turns old text lines (in any language) into codes."""

    def old_line(self, text: str, kind: str = "auto") -> JournalEntry:
        lat, lon = CENTRES["almaty"]
        incident = services.report_incident(
            acting_user=self.dispatcher_almaty, type=incident_type("fire"), lat=lat, lon=lon
        )
        return JournalEntry.objects.create(incident=incident, kind=kind, text=text)

    def run_step(self) -> None:
        _MIGRATION.codes_from_text(django_apps, None)

    def test_english_russian_and_kazakh_lines_are_recognised(self) -> None:
        with translation.override("ru"):
            russian = journal.STATUS.render({"old": "new", "new": "dispatched", "reason": "ок"})
        with translation.override("kk"):
            kazakh = journal.UNIT_DISPATCHED.render({"unit": "P-7"})
        lines = [
            self.old_line("Unit P-7 dispatched."),
            self.old_line("Status: Units on scene → Closed. Fight broken up"),
            self.old_line(russian),
            self.old_line(kazakh),
        ]
        self.run_step()
        for line in lines:
            line.refresh_from_db()
        self.assertEqual(
            [line.code for line in lines],
            ["unit.dispatched", "incident.status", "incident.status", "unit.dispatched"],
        )
        self.assertEqual(
            lines[1].params, {"old": "on_scene", "new": "closed", "reason": "Fight broken up"}
        )
        self.assertEqual(lines[2].text, "Status: New → Dispatched. ок")
        self.assertEqual(lines[3].params, {"unit": "P-7"})

    def test_merged_details_are_recognised(self) -> None:
        text = (
            "Incident #12 merged into this one (reported 03.12.2026 10:15, "
            "Call to 112 (emergency)).\nAddress: Abay Ave 10.\nReporter: Dana."
        )
        line = self.old_line(text)
        self.run_step()
        line.refresh_from_db()
        self.assertEqual(line.code, "incident.merged_details")
        self.assertEqual(line.params["address"], "Abay Ave 10")
        self.assertEqual(line.params["source"], "call_112")
        self.assertEqual(line.text, text)
        with translation.override("ru"):
            self.assertIn("Abay Ave 10", line.display_text)
            self.assertNotIn("Address", line.display_text)

    def test_notes_and_unknown_lines_stay_text(self) -> None:
        note = self.old_line("Unit P-7 dispatched.", kind="note")
        odd = self.old_line("Caller hung up twice")
        self.run_step()
        for line in (note, odd):
            line.refresh_from_db()
            self.assertEqual(line.code, "")


class AgencyNameTests(_WithAlmatyDispatcher):
    def test_recommendations_name_the_agency_in_the_readers_language(self) -> None:
        lat, lon = CENTRES["almaty"]
        incident = services.report_incident(
            acting_user=self.dispatcher_almaty, type=incident_type("crime"), lat=lat, lon=lon
        )
        unit = UnitFactory(region=incident.region, lat=lat, lon=lon)
        unit.agency.name_kk, unit.agency.name_en = "Алматы полициясы", "Almaty police"
        unit.agency.save()
        self.login(self.dispatcher_almaty)
        url = reverse("api:incident-recommendations", args=[incident.pk])
        body = self.client.get(url, HTTP_ACCEPT_LANGUAGE="kk").json()
        rows = [*body["recommended"], *body["others"]]
        row = next(r for r in rows if r["unit"] == unit.pk)
        self.assertEqual(row["agency"], unit.agency.code)
        self.assertEqual(row["agency_name"], "Алматы полициясы")

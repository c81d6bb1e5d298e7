"""The device list (scoped by region, no keys) and the signed HTTPS ingest."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.ingest import handlers
from saqshy.ingest.api.views import signature
from saqshy.ingest.models import Device, DeviceMessage, Reading
from saqshy.ingest.tests.factories import DeviceFactory

KEY = "k3y-for-tests"
BODY = {"id": "m-1", "time": "2026-12-03T23:10:00+05:00"}


class DeviceAPITests(PersonaTestCase):
    def setUp(self) -> None:
        p = self.personas
        self.in_astana: Device = DeviceFactory(region=p.astana, status="online", hmac_key=KEY)
        self.in_almaty: Device = DeviceFactory(region=p.almaty, kind="site_gateway")

    def _ids(self, params: dict[str, Any] | None = None) -> set[int]:
        response = self.client.get(reverse("api:device-list"), params or {})
        self.assertEqual(response.status_code, 200, response.content)
        return {row["id"] for row in response.json()["results"]}

    def test_anonymous_gets_401_and_no_grants_403(self) -> None:
        self.assertEqual(self.client.get(reverse("api:device-list")).status_code, 401)
        self.login(self.personas.no_grants)
        self.assertEqual(self.client.get(reverse("api:device-list")).status_code, 403)

    def test_a_dispatcher_sees_their_region_only_and_never_the_key(self) -> None:
        self.login(self.personas.dispatcher_astana)
        self.assertEqual(self._ids(), {self.in_astana.pk})
        detail = self.client.get(reverse("api:device-detail", args=[self.in_almaty.pk]))
        self.assertEqual(detail.status_code, 404)
        row = self.client.get(reverse("api:device-detail", args=[self.in_astana.pk])).json()
        self.assertNotIn("hmac_key", row)
        self.assertNotIn(KEY, json.dumps(row))
        self.assertLessEqual(
            {"id", "serial", "kind", "region", "status", "last_heartbeat", "battery_low"}, set(row)
        )

    def test_filters_and_national_view(self) -> None:
        self.login(self.personas.analyst_national)
        self.assertEqual(self._ids(), {self.in_astana.pk, self.in_almaty.pk})
        self.assertEqual(self._ids({"status": "online"}), {self.in_astana.pk})
        self.assertEqual(self._ids({"kind": "site_gateway"}), {self.in_almaty.pk})
        self.assertEqual(self._ids({"region": "almaty"}), {self.in_almaty.pk})

    def test_the_list_is_read_only(self) -> None:
        self.login(self.personas.admin)
        response = self.client.post(reverse("api:device-list"), {"serial": "X"}, format="json")
        self.assertEqual(response.status_code, 405)

    def test_list_query_count_does_not_grow_with_rows(self) -> None:
        self.login(self.personas.analyst_national)
        self.client.get(reverse("api:device-list"))
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("api:device-list"))
        for _ in range(5):
            DeviceFactory(region=self.personas.almaty)
        with CaptureQueriesContext(connection) as many:
            self.client.get(reverse("api:device-list"))
        self.assertEqual(len(many), len(few))


class HttpsIngestTests(PersonaTestCase):
    def setUp(self) -> None:
        self.device: Device = DeviceFactory(region=self.personas.astana, hmac_key=KEY)
        self.site: Device = DeviceFactory(
            region=self.personas.astana, kind="site_gateway", hmac_key=KEY
        )
        self.seen: list[str] = []
        self.saved = list(handlers._events.get("alarm", []))
        handlers.register("alarm", self._on_alarm)

    def tearDown(self) -> None:
        handlers._events["alarm"] = self.saved

    def _on_alarm(self, messages: list[handlers.Received], *, acting_user: Any) -> None:
        self.seen.extend(m.message_id for m in messages)

    def post(self, path: str, body: Any, *, key: str | None = KEY, raw: bytes | None = None) -> Any:
        data = raw if raw is not None else json.dumps(body).encode()
        headers = {"HTTP_X_SAQSHY_SIGNATURE": signature(key, data)} if key else {}
        return self.client.generic(
            "POST", f"/api/{path}", data, content_type="application/json", **headers
        )

    def test_a_signed_alarm_is_stored_and_handled_once(self) -> None:
        path = f"ingest/alarms/{self.device.serial}/alarm/"
        first = self.post(path, BODY)
        again = self.post(path, BODY)
        self.assertEqual((first.status_code, again.status_code), (202, 202), first.content)
        self.assertEqual((first.json(), again.json()), ({"stored": True}, {"stored": False}))
        self.assertEqual(DeviceMessage.objects.filter(device=self.device).count(), 1)
        self.assertEqual(self.seen, ["m-1"])

    def test_telemetry_is_stored(self) -> None:
        path = f"ingest/telemetry/{self.site.serial}/supply_temp/"
        response = self.post(path, {**BODY, "value": 68.5})
        self.assertEqual(response.status_code, 202, response.content)
        self.assertEqual(list(Reading.objects.values_list("value", flat=True)), [68.5])

    def test_a_bad_or_missing_signature_is_401(self) -> None:
        path = f"ingest/alarms/{self.device.serial}/alarm/"
        self.assertEqual(self.post(path, BODY, key=None).status_code, 401)
        self.assertEqual(self.post(path, BODY, key="wrong").status_code, 401)
        self.device.hmac_key = ""
        self.device.save()
        self.assertEqual(self.post(path, BODY, key="").status_code, 401)
        self.assertFalse(DeviceMessage.objects.exists())

    def test_an_unknown_device_is_404(self) -> None:
        self.assertEqual(self.post("ingest/alarms/NOPE-1/alarm/", BODY).status_code, 404)

    def test_bad_bodies_name_the_field(self) -> None:
        alarm = f"ingest/alarms/{self.device.serial}/alarm/"
        telemetry = f"ingest/telemetry/{self.site.serial}/pressure/"
        cases = [
            (alarm, None, b"{not json", "body"),
            (alarm, {**BODY, "time": "noon"}, None, "time"),
            (alarm, {"time": BODY["time"]}, None, "id"),
            (telemetry, {**BODY, "value": "high"}, None, "value"),
            (f"ingest/alarms/{self.device.serial}/smoke/", BODY, None, "kind"),
            (f"ingest/telemetry/{self.site.serial}/Bad-Name/", BODY, None, "parameter"),
        ]
        for path, body, raw, field in cases:
            response = self.post(path, body, raw=raw)
            self.assertEqual(response.status_code, 400, (path, response.content))
            self.assertIn(field, response.json())
        self.assertFalse(DeviceMessage.objects.exists())

    def test_a_signed_in_user_without_a_signature_is_still_refused(self) -> None:
        self.client.force_login(self.personas.admin)
        path = f"ingest/alarms/{self.device.serial}/alarm/"
        self.assertEqual(self.post(path, BODY, key=None).status_code, 401)

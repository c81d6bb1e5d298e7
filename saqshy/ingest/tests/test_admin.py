"""The device admin never shows the signing key back, and an empty field keeps it."""

from __future__ import annotations

from django.urls import reverse

from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.ingest.models import Device
from saqshy.ingest.tests.factories import DeviceFactory


class DeviceAdminTests(PersonaTestCase):
    def test_the_key_is_write_only(self) -> None:
        device: Device = DeviceFactory(region=self.personas.astana, hmac_key="very-secret-key")
        self.client.force_login(self.personas.admin)
        url = reverse("admin:ingest_device_change", args=[device.pk])
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "very-secret-key")
        form = {
            "serial": device.serial,
            "kind": device.kind,
            "region": device.region_id,
            "district": "",
            "model": "Smoke-2",
            "firmware": "",
            "lat": device.lat,
            "lon": device.lon,
            "hmac_key": "",
        }
        response = self.client.post(url, form, format="multipart")
        self.assertEqual(response.status_code, 302)
        device.refresh_from_db()
        self.assertEqual((device.model, device.hmac_key), ("Smoke-2", "very-secret-key"))
        self.client.post(url, {**form, "hmac_key": "new-key"}, format="multipart")
        device.refresh_from_db()
        self.assertEqual(device.hmac_key, "new-key")

"""Access tests every API endpoint inherits, so no endpoint can forget its scope.

A test class for a region-scoped model mixes in ``RegionScopedAPITests`` and says how to
make an object in a region and what to post; the mixin proves the access rules of the
foundation issue for it: other regions are invisible (404), writes outside the grants are
refused (403) and change nothing, allowed writes are audited, and lists have no N+1.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APITestCase

from saqshy.accounts.models import Region, User
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.personas import Personas, make_personas


class PersonaTestCase(APITestCase):
    """A test case with the named personas; ``abstract=True`` subclasses are not collected."""

    personas: ClassVar[Personas]

    def __init_subclass__(cls, abstract: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__test__ = not abstract

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()

    def login(self, user: User | None) -> None:
        self.client.force_authenticate(user=user)


class RegionScopedAPITests(PersonaTestCase, abstract=True):
    """Subclasses set ``basename`` and ``model`` and implement the three hooks."""

    basename: ClassVar[str]
    model: ClassVar[Any]
    # A persona who may add and change in Almaty (and only there).
    writer: ClassVar[str] = "planner_almaty"
    # A persona who may view in Astana but not write there.
    reader: ClassVar[str] = "dispatcher_astana"
    # Which writes the endpoint offers; the others must answer 405 (records kept as history).
    supports: ClassVar[frozenset[str]] = frozenset({"create", "update", "delete"})
    # Records hung on a parent (e.g. a facility) refuse an out-of-scope parent as unknown
    # input naming that field (400, nothing leaks), instead of 403.
    refused_create: ClassVar[tuple[int, str | None]] = (403, None)

    def make_object(self, region: Region) -> Any:
        raise NotImplementedError

    def create_payload(self, region: Region) -> dict[str, Any]:
        raise NotImplementedError

    def update_payload(self) -> dict[str, Any]:
        raise NotImplementedError

    def setUp(self) -> None:
        self.p = self.personas
        self.in_astana = self.make_object(self.p.astana)
        self.in_almaty = self.make_object(self.p.almaty)

    def list_url(self) -> str:
        return reverse(f"api:{self.basename}-list")

    def detail_url(self, obj: Any) -> str:
        return reverse(f"api:{self.basename}-detail", args=[obj.pk])

    def user(self, name: str) -> User:
        user: User = getattr(self.p, name)
        return user

    def _ids(self, response: Any) -> set[int]:
        return {item["id"] for item in response.json()["results"]}

    def test_anonymous_gets_401(self) -> None:
        self.assertEqual(self.client.get(self.list_url()).status_code, 401)

    def test_user_without_grants_gets_403(self) -> None:
        self.login(self.p.no_grants)
        self.assertEqual(self.client.get(self.list_url()).status_code, 403)

    def test_list_shows_only_granted_region(self) -> None:
        self.login(self.user(self.writer))
        response = self.client.get(self.list_url(), {"page_size": 1000})
        self.assertEqual(response.status_code, 200)
        ids = self._ids(response)
        self.assertIn(self.in_almaty.pk, ids)
        self.assertNotIn(self.in_astana.pk, ids)

    def test_national_analyst_sees_every_region(self) -> None:
        self.login(self.p.analyst_national)
        ids = self._ids(self.client.get(self.list_url(), {"page_size": 1000}))
        self.assertTrue({self.in_almaty.pk, self.in_astana.pk} <= ids)

    def test_other_region_detail_is_404(self) -> None:
        self.login(self.user(self.writer))
        self.assertEqual(self.client.get(self.detail_url(self.in_astana)).status_code, 404)
        self.assertEqual(self.client.get(self.detail_url(self.in_almaty)).status_code, 200)

    def test_other_region_update_and_delete_are_404_and_change_nothing(self) -> None:
        self.login(self.user(self.writer))
        before = self.model.objects.filter(pk=self.in_astana.pk).values().get()
        url = self.detail_url(self.in_astana)
        expected = {
            "update": 404 if "update" in self.supports else 405,
            "delete": 404 if "delete" in self.supports else 405,
        }
        self.assertEqual(
            self.client.patch(url, self.update_payload()).status_code, expected["update"]
        )
        self.assertEqual(self.client.delete(url).status_code, expected["delete"])
        self.assertEqual(self.model.objects.filter(pk=self.in_astana.pk).values().get(), before)

    def test_create_in_other_region_is_refused_and_changes_nothing(self) -> None:
        self.login(self.user(self.writer))
        count, audits = self.model.objects.count(), AuditEntry.objects.count()
        response = self.client.post(self.list_url(), self.create_payload(self.p.astana))
        status, field = self.refused_create if "create" in self.supports else (405, None)
        self.assertEqual(response.status_code, status, response.content)
        if field:
            self.assertIn(field, response.json())
        self.assertEqual(self.model.objects.count(), count)
        self.assertEqual(AuditEntry.objects.count(), audits)

    def test_create_in_own_region_is_audited(self) -> None:
        writer = self.user(self.writer)
        self.login(writer)
        response = self.client.post(self.list_url(), self.create_payload(self.p.almaty))
        if "create" not in self.supports:
            self.assertEqual(response.status_code, 405)
            return
        self.assertEqual(response.status_code, 201, response.content)
        entry = AuditEntry.objects.filter(
            object_type=self.model._meta.label_lower, object_id=str(response.json()["id"])
        ).get()
        self.assertEqual((entry.action, entry.actor_id), ("create", writer.pk))
        self.assertEqual(entry.region_id, self.p.almaty.pk)
        self.assertTrue(entry.request_id)

    def test_update_in_own_region_is_audited_with_before_and_after(self) -> None:
        self.login(self.user(self.writer))
        response = self.client.patch(self.detail_url(self.in_almaty), self.update_payload())
        if "update" not in self.supports:
            self.assertEqual(response.status_code, 405)
            return
        self.assertEqual(response.status_code, 200, response.content)
        entry = AuditEntry.objects.get(
            object_type=self.model._meta.label_lower,
            object_id=str(self.in_almaty.pk),
            action="update",
        )
        for field in self.update_payload():
            self.assertIn(field, entry.after)
            self.assertIn(field, entry.before)

    def test_delete_in_own_region_is_audited(self) -> None:
        self.login(self.user(self.writer))
        response = self.client.delete(self.detail_url(self.in_almaty))
        if "delete" not in self.supports:
            self.assertEqual(response.status_code, 405)
            self.assertTrue(self.model.objects.filter(pk=self.in_almaty.pk).exists())
            return
        self.assertEqual(response.status_code, 204)
        self.assertFalse(self.model.objects.filter(pk=self.in_almaty.pk).exists())
        entry = AuditEntry.objects.get(
            object_type=self.model._meta.label_lower,
            object_id=str(self.in_almaty.pk),
            action="delete",
        )
        self.assertEqual(entry.before["id"], self.in_almaty.pk)

    def test_role_without_write_permission_gets_403(self) -> None:
        self.login(self.user(self.reader))
        self.assertEqual(self.client.get(self.detail_url(self.in_astana)).status_code, 200)
        response = self.client.post(self.list_url(), self.create_payload(self.p.astana))
        # Permissions are checked before the method: a reader gets 403 either way.
        self.assertEqual(response.status_code, 403)
        response = self.client.patch(self.detail_url(self.in_astana), self.update_payload())
        self.assertEqual(response.status_code, 403)

    def test_list_query_count_does_not_grow_with_rows(self) -> None:
        self.login(self.p.analyst_national)
        self.client.get(self.list_url())  # warm per-user caches
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.list_url())
        for _ in range(5):
            self.make_object(self.p.almaty)
            self.make_object(self.p.astana)
        with CaptureQueriesContext(connection) as many:
            self.client.get(self.list_url())
        self.assertEqual(len(many), len(few))


class ReferenceAPITests(PersonaTestCase, abstract=True):
    """Reference data (regions, agencies): readable by anyone granted, writable by nobody."""

    basename: ClassVar[str]

    def list_url(self) -> str:
        return reverse(f"api:{self.basename}-list")

    def test_anonymous_gets_401(self) -> None:
        self.assertEqual(self.client.get(self.list_url()).status_code, 401)

    def test_granted_user_lists_all(self) -> None:
        self.login(self.personas.inspector_almaty)
        response = self.client.get(self.list_url())
        self.assertEqual(response.status_code, 200)
        self.assertGreater(response.json()["count"], 0)

    def test_writes_are_not_allowed(self) -> None:
        self.login(self.personas.admin)
        self.assertEqual(self.client.post(self.list_url(), {}).status_code, 405)

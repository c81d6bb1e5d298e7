"""Tests every page view and custom API action inherits, like ``RegionScopedAPITests``.

``ScopedPageTests`` gives a page's list, detail, create and edit views the same proofs: another
region's record is absent (404); a create or edit form stores exactly what was posted; a
refused create or edit (another region, a role that only reads) changes nothing in the
database; a scoped user's list costs the same number of queries for N and 2N rows.

``ScopedActionTests`` does the same for custom API actions (close, cancel, approve, dispatch
…): outside the caller's scope they are 404, without the role 403, and neither changes a row
or writes an audit entry.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saqshy.accounts.models import Region, User
from saqshy.core.audit_models import AuditEntry
from saqshy.core.testing.mixins import PersonaTestCase

Snapshot = tuple[list[dict[str, Any]], int]


class _Scoped(PersonaTestCase, abstract=True):
    model: ClassVar[Any]
    # A persona who may add and change in Almaty (and only there).
    writer: ClassVar[str] = "planner_almaty"
    # A persona who may view in Astana but not write there.
    reader: ClassVar[str] = "dispatcher_astana"

    def make_object(self, region: Region) -> Any:
        raise NotImplementedError

    def setUp(self) -> None:
        self.p = self.personas
        self.in_astana = self.make_object(self.p.astana)
        self.in_almaty = self.make_object(self.p.almaty)

    def user(self, name: str) -> User:
        user: User = getattr(self.p, name)
        return user

    def sign_in(self, name: str) -> None:
        self.client.force_login(self.user(name))

    def snapshot(self) -> Snapshot:
        """Every row of the model and the length of the audit trail."""
        rows = list(self.model.objects.order_by("pk").values())
        return rows, AuditEntry.objects.count()


class ScopedPageTests(_Scoped, abstract=True):
    """Subclasses set ``model`` and the URL names they have, and implement ``make_object``
    (and ``form_payload`` when they set ``create_url`` or ``edit_url``)."""

    # Pages post forms (the API test client would send JSON).
    client_class = Client
    list_url: ClassVar[str]
    detail_url: ClassVar[str | None] = None
    create_url: ClassVar[str | None] = None
    edit_url: ClassVar[str | None] = None
    # Who the list query count is measured for: a scoped user, not a national one.
    list_user: ClassVar[str] = "planner_almaty"

    def form_payload(self, region: Region) -> dict[str, Any]:
        raise NotImplementedError

    def stored(self, obj: Any, fields: Any) -> dict[str, str]:
        """How ``obj`` stores each posted field, as the form would show it back."""
        return {name: self.model._meta.get_field(name).value_to_string(obj) for name in fields}

    def expected(self, payload: dict[str, Any]) -> dict[str, str]:
        return {name: str(value) for name, value in payload.items()}

    def _assert_stores(self, obj: Any, payload: dict[str, Any]) -> None:
        obj.refresh_from_db()
        self.assertEqual(self.stored(obj, payload), self.expected(payload))

    def test_other_region_detail_is_404(self) -> None:
        if not self.detail_url:
            self.skipTest("no detail page")
        self.sign_in(self.writer)
        url = reverse(self.detail_url, args=[self.in_astana.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        ok = self.client.get(reverse(self.detail_url, args=[self.in_almaty.pk]))
        self.assertEqual(ok.status_code, 200)

    def test_create_stores_exactly_the_payload(self) -> None:
        if not self.create_url:
            self.skipTest("no create page")
        self.sign_in(self.writer)
        before = set(self.model.objects.values_list("pk", flat=True))
        payload = self.form_payload(self.p.almaty)
        response = self.client.post(reverse(self.create_url), payload)
        self.assertEqual(response.status_code, 302, _form_errors(response))
        created = self.model.objects.exclude(pk__in=before).get()
        self._assert_stores(created, payload)

    def test_refused_create_changes_nothing(self) -> None:
        if not self.create_url:
            self.skipTest("no create page")
        before = self.snapshot()
        for name in (self.writer, self.reader):
            self.sign_in(name)
            response = self.client.post(reverse(self.create_url), self.form_payload(self.p.astana))
            self.assertIn(response.status_code, (200, 403, 404), name)
            self.assertEqual(self.snapshot(), before, name)

    def test_edit_stores_exactly_the_payload(self) -> None:
        if not self.edit_url:
            self.skipTest("no edit page")
        self.sign_in(self.writer)
        payload = self.form_payload(self.p.almaty)
        response = self.client.post(reverse(self.edit_url, args=[self.in_almaty.pk]), payload)
        self.assertEqual(response.status_code, 302, _form_errors(response))
        self._assert_stores(self.in_almaty, payload)

    def test_refused_edit_changes_nothing(self) -> None:
        if not self.edit_url:
            self.skipTest("no edit page")
        before = self.snapshot()
        url = reverse(self.edit_url, args=[self.in_astana.pk])
        self.sign_in(self.writer)
        self.assertEqual(self.client.post(url, self.form_payload(self.p.astana)).status_code, 404)
        self.sign_in(self.reader)
        self.assertIn(
            self.client.post(url, self.form_payload(self.p.astana)).status_code, (403, 404)
        )
        self.assertEqual(self.snapshot(), before)

    def test_scoped_list_query_count_is_constant(self) -> None:
        self.sign_in(self.list_user)
        url = reverse(self.list_url)
        self.assertEqual(self.client.get(url).status_code, 200)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for _ in range(3):
            self.make_object(self.p.almaty)
            self.make_object(self.p.astana)
        with CaptureQueriesContext(connection) as many:
            self.client.get(url)
        self.assertEqual(len(many), len(few), [q["sql"] for q in many.captured_queries][len(few) :])


def _form_errors(response: Any) -> Any:
    """The bound form's errors when a post did not redirect (what to fix in the payload)."""
    form = (response.context or {}).get("form") if hasattr(response, "context") else None
    return getattr(form, "errors", response.status_code)


class ScopedActionTests(_Scoped, abstract=True):
    """Custom API actions: subclasses implement ``make_object`` and ``calls`` (the
    ``(url, data)`` of each action on an object)."""

    def calls(self, obj: Any) -> list[tuple[str, dict[str, Any]]]:
        raise NotImplementedError

    def test_actions_outside_the_scope_are_404_and_change_nothing(self) -> None:
        self.login(self.user(self.writer))
        before = self.snapshot()
        for url, data in self.calls(self.in_astana):
            self.assertEqual(self.client.post(url, data, format="json").status_code, 404, url)
        self.assertEqual(self.snapshot(), before)

    def test_actions_without_the_role_are_403_and_change_nothing(self) -> None:
        self.login(self.user(self.reader))
        before = self.snapshot()
        for url, data in self.calls(self.in_astana):
            self.assertEqual(self.client.post(url, data, format="json").status_code, 403, url)
        self.assertEqual(self.snapshot(), before)

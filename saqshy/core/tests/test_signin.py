"""Sign-in hardening: lock-out on the page, the admin and the token endpoint; revocable,
expiring, hashed API tokens; safe request ids and security headers."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework.test import APIClient

from saqshy.core.testing.mixins import PersonaTestCase

LIMIT = 10


class LockoutTests(PersonaTestCase):
    """30 wrong passwords used to be followed by a successful sign-in on all three doors."""

    def _locks(self, path: str) -> None:
        browser = Client()
        for attempt in range(1, LIMIT + 1):
            wrong = browser.post(path, {"username": "admin", "password": "wrong"})
            self.assertEqual(wrong.status_code, 429 if attempt == LIMIT else 200)
        response = browser.post(path, {"username": "admin", "password": "pw-admin"})
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many failed sign-in attempts", status_code=429)
        self.assertNotIn("_auth_user_id", browser.session)

    def test_sign_in_page_locks_after_repeated_failures(self) -> None:
        self._locks(reverse("login"))

    def test_admin_sign_in_locks_after_repeated_failures(self) -> None:
        self._locks(reverse("admin:login"))

    def test_token_endpoint_locks_after_repeated_failures(self) -> None:
        url = reverse("api:token")
        for _ in range(LIMIT):
            self.client.post(url, {"username": "planner_almaty", "password": "wrong"})
        response = self.client.post(
            url, {"username": "planner_almaty", "password": "pw-planner_almaty"}
        )
        self.assertEqual(response.status_code, 429)
        self.assertIn("non_field_errors", response.json())
        self.assertFalse(AuthToken.objects.filter(user=self.personas.planner_almaty).exists())

    def test_lock_is_per_account_and_translated(self) -> None:
        url = reverse("api:token")
        for _ in range(LIMIT):
            self.client.post(url, {"username": "planner_almaty", "password": "wrong"})
        other = self.client.post(
            url, {"username": "dispatcher_astana", "password": "pw-dispatcher_astana"}
        )
        self.assertEqual(other.status_code, 200)
        locked = self.client.post(
            url, {"username": "planner_almaty", "password": "x"}, HTTP_ACCEPT_LANGUAGE="ru"
        )
        self.assertEqual(locked.status_code, 429)
        self.assertRegex(locked.json()["non_field_errors"][0], "[А-Яа-я]")

    def test_a_few_failures_then_success_resets(self) -> None:
        url = reverse("api:token")
        for _ in range(LIMIT - 1):
            self.client.post(url, {"username": "planner_almaty", "password": "wrong"})
        ok = self.client.post(url, {"username": "planner_almaty", "password": "pw-planner_almaty"})
        self.assertEqual(ok.status_code, 200)
        for _ in range(LIMIT - 1):
            self.client.post(url, {"username": "planner_almaty", "password": "wrong"})
        again = self.client.post(
            url, {"username": "planner_almaty", "password": "pw-planner_almaty"}
        )
        self.assertEqual(again.status_code, 200)


class TokenTests(PersonaTestCase):
    def _token(self) -> str:
        response = self.client.post(
            reverse("api:token"), {"username": "planner_almaty", "password": "pw-planner_almaty"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("expiry", response.json())
        token: str = response.json()["token"]
        return token

    def _me(self, token: str) -> int:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client.get(reverse("api:me")).status_code

    def test_only_a_hash_is_stored(self) -> None:
        token = self._token()
        stored = AuthToken.objects.get(user=self.personas.planner_almaty)
        self.assertNotIn(token, (stored.digest, stored.token_key))
        self.assertTrue(token.startswith(stored.token_key))

    def test_token_expires(self) -> None:
        token = self._token()
        self.assertEqual(self._me(token), 200)
        AuthToken.objects.filter(user=self.personas.planner_almaty).update(
            expiry=timezone.now() - timedelta(seconds=1)
        )
        self.assertEqual(self._me(token), 401)
        self.assertFalse(AuthToken.objects.filter(user=self.personas.planner_almaty).exists())

    def test_a_request_reads_only_the_token_it_presents(self) -> None:
        # knox itself reads all of the user's tokens on every request, to tidy expired ones.
        tokens = [self._token() for _ in range(3)]
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self._me(tokens[1]), 200)
        on_tokens = [q["sql"] for q in queries.captured_queries if "knox_authtoken" in q["sql"]]
        self.assertEqual(len(on_tokens), 1, on_tokens)
        self.assertIn("token_key", on_tokens[0])

    def test_signing_in_deletes_the_users_expired_tokens_only(self) -> None:
        old, live = self._token(), self._token()
        planner = self.personas.planner_almaty
        expired = timezone.now() - timedelta(1)
        AuthToken.objects.filter(token_key=old[: CONSTANTS.TOKEN_KEY_LENGTH]).update(expiry=expired)
        other = AuthToken.objects.create(self.personas.planner_astana)[0]
        AuthToken.objects.filter(pk=other.pk).update(expiry=expired)
        newest = self._token()
        self.assertEqual(AuthToken.objects.filter(user=planner).count(), 2)
        self.assertEqual((self._me(live), self._me(newest), self._me(old)), (200, 200, 401))
        self.assertTrue(AuthToken.objects.filter(pk=other.pk).exists())  # not theirs

    def test_logout_revokes_this_token_only(self) -> None:
        first, second = self._token(), self._token()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
        self.assertEqual(client.post(reverse("api:logout")).status_code, 204)
        self.assertEqual(self._me(first), 401)
        self.assertEqual(self._me(second), 200)

    def test_logoutall_revokes_every_token(self) -> None:
        first, second = self._token(), self._token()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {second}")
        self.assertEqual(client.post(reverse("api:logoutall")).status_code, 204)
        self.assertEqual(self._me(first), 401)
        self.assertEqual(self._me(second), 401)

    def test_missing_fields_are_named(self) -> None:
        response = self.client.post(reverse("api:token"), {"username": "planner_almaty"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("password", response.json())


class HeaderTests(PersonaTestCase):
    def test_content_security_policy_forbids_inline_script(self) -> None:
        response = self.client.get(reverse("login"))
        policy = response["Content-Security-Policy"]
        script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
        self.assertEqual(script_src.split(), ["script-src", "'self'"])

    def test_request_id_accepted_only_in_a_safe_format(self) -> None:
        ok = self.client.get(reverse("login"), HTTP_X_REQUEST_ID="abc-123_x.y")
        self.assertEqual(ok["X-Request-ID"], "abc-123_x.y")
        for bad in ("abc\n", "<script>", "a" * 65, "a b"):
            response = self.client.get(reverse("login"), HTTP_X_REQUEST_ID=bad)
            self.assertNotEqual(response["X-Request-ID"], bad)
            self.assertRegex(response["X-Request-ID"], r"\A[0-9a-f]{32}\Z")

    def test_proxy_scheme_header_is_ignored_unless_configured(self) -> None:
        response = self.client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
        self.assertFalse(response.wsgi_request.is_secure())

    @override_settings(SECURE_HSTS_SECONDS=31536000)
    def test_hsts_sent_over_tls_when_configured(self) -> None:
        response = self.client.get(reverse("login"), secure=True)
        self.assertIn("max-age=31536000", response["Strict-Transport-Security"])

"""How an API request proves who it is: knox tokens, read in one query.

Its own module: ``REST_FRAMEWORK`` imports it while DRF's views are still being imported, so
it must not import them (``auth.py``'s sign-in views do).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from knox import auth as knox_auth
from knox.signals import token_expired


class TokenAuthentication(knox_auth.TokenAuthentication):
    """knox's token check (``Authorization: Token …``), one query instead of two.

    knox reads every token of the user on every request, to delete those that have expired
    (django-rest-knox 5.1.0, ``_cleanup_token``): a second query on each API call, longer for
    a user (a simulator, a load test) who signed in many times. Here only the token presented
    is checked: expired, it is deleted and refused, as knox does. The user's other expired
    tokens are deleted when they next sign in (``auth.TokenView``); until then they are rows
    that nobody can use.
    """

    def _cleanup_token(self, auth_token: Any) -> bool:
        if auth_token.expiry is None or auth_token.expiry >= timezone.now():
            return False
        username = auth_token.user.get_username()
        auth_token.delete()
        token_expired.send(sender=type(self), username=username, source="auth_token")
        return True

"""API tokens: sign in with a username and password, revoke one token or all of them.

Tokens are django-rest-knox tokens: the database keeps only a hash, each expires after
``REST_KNOX["TOKEN_TTL"]`` without use. Sign-in goes through ``django.contrib.auth.authenticate``
with the underlying Django request, so the axes lock-out that guards the sign-in page and the
admin guards this endpoint too.

A token is checked by ``core.api.authentication.TokenAuthentication``: knox's check without
its clean-up of the user's other tokens on every request (see there).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from knox.views import LoginView, LogoutAllView, LogoutView
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from saqshy.core.api.authentication import TokenAuthentication


class CredentialsSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


TOKEN_RESPONSE = inline_serializer(
    "AuthToken",
    fields={"token": serializers.CharField(), "expiry": serializers.DateTimeField()},
)


class TokenView(LoginView):
    """``POST {username, password}`` → ``{token, expiry}``; 400 for wrong credentials."""

    authentication_classes: list[Any] = []
    permission_classes = (AllowAny,)
    serializer_class = CredentialsSerializer

    @extend_schema(
        request=CredentialsSerializer,
        responses={200: TOKEN_RESPONSE},
        auth=[],
        summary="Sign in for an API token",
    )
    def post(self, request: Request, format: Any = None) -> Response:
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = authenticate(
            request=request._request,
            username=credentials.validated_data["username"],
            password=credentials.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to sign in with these credentials.")]}
            )
        request.user = user
        AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
        return super().post(request, format=format)


class RevokeTokenView(LogoutView):
    """``POST`` with a token: that token stops working."""

    authentication_classes = (TokenAuthentication,)

    @extend_schema(request=None, responses={204: None}, summary="Revoke this token")
    def post(self, request: Request, format: Any = None) -> Response:
        return super().post(request, format=format)


class RevokeAllTokensView(LogoutAllView):
    """``POST`` with a token: every token of its user stops working."""

    authentication_classes = (TokenAuthentication,)

    @extend_schema(request=None, responses={204: None}, summary="Revoke all your tokens")
    def post(self, request: Request, format: Any = None) -> Response:
        return super().post(request, format=format)

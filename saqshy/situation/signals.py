"""Announce account changes to the user's open sockets, so none outlives the access behind it.

A saved user (deactivated, password changed, made superuser or not), a granted or revoked
grant and a logout each send a re-check to the user's group after commit; the consumer then
closes or re-joins the right region groups (``situation.consumers``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_delete, post_save

from saqshy.accounts.models import Grant, User
from saqshy.core.realtime import notify_user


def user_saved(sender: Any, instance: User, **kwargs: Any) -> None:
    if kwargs.get("raw") or kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # fixtures, and the login stamp, change nothing a socket depends on
    notify_user(instance.pk)


def grant_changed(sender: Any, instance: Grant, **kwargs: Any) -> None:
    notify_user(instance.user_id)


def logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None or user.pk is None:
        return
    session = getattr(request, "session", None)
    notify_user(user.pk, session_key=session.session_key if session is not None else None)


def connect() -> None:
    post_save.connect(user_saved, sender=User, dispatch_uid="saqshy-live-user-saved")
    post_save.connect(grant_changed, sender=Grant, dispatch_uid="saqshy-live-grant-saved")
    post_delete.connect(grant_changed, sender=Grant, dispatch_uid="saqshy-live-grant-deleted")
    user_logged_out.connect(logged_out, dispatch_uid="saqshy-live-logged-out")

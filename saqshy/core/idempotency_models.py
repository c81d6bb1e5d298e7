"""Stored answers to ``POST`` requests that carried an ``Idempotency-Key`` (see ``idempotency``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """One client's key for one ``POST``, and the answer it got.

    Written in the same transaction as the request's own changes, so either both are stored
    or neither: a retry finds the answer exactly when the first request's work is committed.
    Plain ids, no foreign keys: a record outlives nothing it does not need to.
    """

    user_id = models.BigIntegerField(_("user id"))
    key = models.CharField(_("idempotency key"), max_length=255)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=1000)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status = models.PositiveSmallIntegerField(_("response status"), null=True)
    response = models.JSONField(_("response body"), null=True)
    headers = models.JSONField(_("response headers"), default=dict)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["user_id", "key"], name="idempotency_user_key"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"

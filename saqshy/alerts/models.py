"""Public alerts in CAP 1.2: the alert, one info block per language, and its areas.

An ``Alert`` is either written here (``source`` authored: draft → submitted → published by
an approver who is not its author) or received from another agency's CAP feed (ingested,
published as received, its XML kept in ``xml``). An update or cancellation is a new alert
whose ``references`` points at the one it replaces; the replaced alert stops being
``active`` and names its successor in ``superseded_by``. A published alert's XML is frozen
in ``xml`` and served unchanged at its stable URL.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import District, Region
from saqshy.alerts.choices import (
    LANGUAGES,
    AreaKind,
    CapStatus,
    Category,
    Certainty,
    MsgType,
    Severity,
    Source,
    State,
    Urgency,
)
from saqshy.core.models import BaseModel, ExerciseModel


class Alert(ExerciseModel):
    """One CAP alert message (``<alert>``) and where it is in the workflow."""

    identifier = models.CharField(_("identifier"), max_length=255, unique=True)
    sender = models.CharField(_("sender"), max_length=255)
    sent = models.DateTimeField(_("sent"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CapStatus.choices(), default=CapStatus.ACTUAL
    )
    msg_type = models.CharField(
        _("message type"), max_length=8, choices=MsgType.choices(), default=MsgType.ALERT
    )
    scope = models.CharField(_("scope"), max_length=12, default="Public")
    references = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        related_name="followers",
        null=True,
        blank=True,
    )
    references_text = models.TextField(
        _("references"), blank=True, help_text=_("As written in the CAP message.")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices(), default=State.DRAFT
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices(), default=Source.AUTHORED
    )
    source_url = models.CharField(_("received from"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="authored_alerts",
        null=True,
        blank=True,
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="approved_alerts",
        null=True,
        blank=True,
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="alerts",
        null=True,
        blank=True,
    )
    active = models.BooleanField(_("active"), default=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    xml = models.TextField(
        _("CAP XML"), blank=True, help_text=_("As published or as received; served unchanged.")
    )

    scope_region_field: ClassVar[str | None] = "region"
    exercise_wipe_order: ClassVar[int] = 20

    class Meta:
        verbose_name = _("public alert")
        verbose_name_plural = _("public alerts")
        ordering: ClassVar = ["-sent", "-created_at"]
        indexes: ClassVar = [
            models.Index(fields=["state", "active"]),
            models.Index(fields=["sender", "identifier"]),
            models.Index(
                fields=["region", "created_at"],
                condition=models.Q(is_exercise=True),
                name="alert_exercise",
            ),
        ]

    def __str__(self) -> str:
        return self.identifier

    @property
    def cap_reference(self) -> str:
        """``sender,identifier,sent`` as another alert's ``<references>`` names this one."""
        from saqshy.alerts.cap import cap_datetime

        return f"{self.sender},{self.identifier},{cap_datetime(self.sent)}"


class AlertInfo(BaseModel):
    """An ``<info>`` block: what, how bad, what to do, in one language."""

    alert = models.ForeignKey(
        Alert, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="infos"
    )
    language = models.CharField(_("language"), max_length=16, default="en-US")
    category = models.CharField(
        _("category"), max_length=10, choices=Category.choices(), default=Category.MET
    )
    event = models.CharField(_("event"), max_length=255)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices())
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices())
    certainty = models.CharField(_("certainty"), max_length=10, choices=Certainty.choices())
    headline = models.CharField(_("headline"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    instruction = models.TextField(_("instruction"), blank=True)
    onset = models.DateTimeField(_("onset"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    web = models.URLField(_("web page"), max_length=500, blank=True)
    contact = models.CharField(_("contact"), max_length=255, blank=True)

    scope_region_field: ClassVar[str | None] = "alert__region"

    class Meta:
        verbose_name = _("alert text")
        verbose_name_plural = _("alert texts")
        ordering: ClassVar = ["alert", "id"]

    def __str__(self) -> str:
        return f"{self.alert}: {self.language}"


class AlertArea(BaseModel):
    """An ``<area>``: its description and shapes.

    ``polygons`` is a list of closed rings of ``[lon, lat]`` pairs (GeoJSON order; written to
    CAP as ``lat,lon``), ``circles`` a list of ``[lon, lat, radius_km]``, ``geocodes`` a list
    of ``[valueName, value]``. ``kind`` says what the shapes were made from.
    """

    alert = models.ForeignKey(
        Alert, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="areas"
    )
    area_desc = models.CharField(_("area"), max_length=500)
    names = models.JSONField(
        _("area in each language"),
        default=dict,
        blank=True,
        help_text=_("The area's description per CAP language code, where it differs."),
    )
    kind = models.CharField(
        _("made from"), max_length=10, choices=AreaKind.choices(), default=AreaKind.DRAWN
    )
    area_region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    segment = models.ForeignKey(
        "roads.Segment",
        verbose_name=_("road segment"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    polygons = models.JSONField(_("polygons"), default=list, blank=True)
    circles = models.JSONField(_("circles"), default=list, blank=True)
    geocodes = models.JSONField(_("geocodes"), default=list, blank=True)

    scope_region_field: ClassVar[str | None] = "alert__region"

    class Meta:
        verbose_name = _("alert area")
        verbose_name_plural = _("alert areas")
        ordering: ClassVar = ["alert", "id"]

    def __str__(self) -> str:
        return self.area_desc


__all__ = ["LANGUAGES", "Alert", "AlertArea", "AlertInfo"]

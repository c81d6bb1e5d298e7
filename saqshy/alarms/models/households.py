"""Households in the home fire-alarm programme, their installations, campaigns and alarms.

A ``Household`` is personal data (who lives where, and why they are vulnerable): it is listed
in the app's ``personal_data`` declaration, so no wildcard role rule reaches it, and every read
goes through ``saqshy.alarms.queries.households_for`` with an audited read. What a device sends
is recorded as an ``AlarmEvent`` (once per device message); an alarm opens or joins a fire
incident and a ``CallBack`` asks the household whether it is real.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saqshy.alarms.choices import (
    ALARM_EVENT_KINDS,
    ALARM_OUTCOMES,
    CALLBACK_ANSWERS,
    CALLBACK_STATUSES,
    CONTACT_LANGUAGES,
    AlarmOutcome,
    CallBackStatus,
    ContactLanguage,
)
from saqshy.core.models import (
    BaseModel,
    ExerciseModel,
    TranslatedNameMixin,
    latitude_field,
    longitude_field,
)


class HouseholdCategory(TranslatedNameMixin, BaseModel):
    """Why a household is in the programme (pensioner living alone, large family …).

    Reference data: everyone reads it, administrators change it.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=150, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=150, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_region_field: ClassVar[str | None] = None

    class Meta:
        verbose_name = _("household category")
        verbose_name_plural = _("household categories")
        ordering: ClassVar = ["order", "code"]

    def __str__(self) -> str:
        return self.display_name


class Household(BaseModel):
    """A home with a fire alarm: personal data, visible only to roles that need it."""

    category = models.ForeignKey(
        HouseholdCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    address = models.CharField(_("address"), max_length=255)
    lat = latitude_field()
    lon = longitude_field()
    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    district = models.ForeignKey(
        "accounts.District",
        verbose_name=_("district"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="households",
    )
    contact_name = models.CharField(_("contact name"), max_length=150)
    contact_phone = models.CharField(_("contact phone"), max_length=32)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=CONTACT_LANGUAGES,
        default=ContactLanguage.KK,
        help_text=_("The language the call-back after an alarm speaks."),
    )
    consent_given = models.BooleanField(_("consent given"), default=False)
    consent_date = models.DateField(_("consent date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering: ClassVar = ["region", "address", "id"]
        indexes: ClassVar = [
            models.Index(fields=["region", "district"], name="household_region_district"),
        ]

    def __str__(self) -> str:
        return f"{_('Household')} #{self.pk}"


class InstallationCampaign(BaseModel):
    """A drive to install alarms in one region, with a target per district."""

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="alarm_campaigns",
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    target_count = models.PositiveIntegerField(
        _("target"), default=0, help_text=_("How many alarms the campaign installs in all.")
    )
    notes = models.TextField(_("notes"), blank=True)

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("installation campaign")
        verbose_name_plural = _("installation campaigns")
        ordering: ClassVar = ["-starts_on", "id"]

    def __str__(self) -> str:
        return self.name


class CampaignTarget(BaseModel):
    """How many alarms a campaign installs in one district."""

    campaign = models.ForeignKey(
        InstallationCampaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    district = models.ForeignKey(
        "accounts.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="alarm_targets",
    )
    target = models.PositiveIntegerField(_("target"))

    scope_region_field: ClassVar[str | None] = "campaign__region"

    class Meta:
        verbose_name = _("campaign district target")
        verbose_name_plural = _("campaign district targets")
        ordering: ClassVar = ["campaign", "district"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["campaign", "district"], name="campaign_district_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.district_id}: {self.target}"


class Installation(BaseModel):
    """An alarm device fitted in a household; model and firmware live on the device.

    Region and district are copied from the household so coverage and campaign progress are
    counted without reading personal data.
    """

    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="installations",
    )
    device = models.OneToOneField(
        "ingest.Device",
        verbose_name=_("device"),
        on_delete=models.PROTECT,
        related_name="installation",
    )
    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="alarm_installations",
    )
    district = models.ForeignKey(
        "accounts.District",
        verbose_name=_("district"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alarm_installations",
    )
    room = models.CharField(_("room"), max_length=100, blank=True)
    installer_name = models.CharField(_("installer"), max_length=150, blank=True)
    installed_on = models.DateField(_("installed on"))
    campaign = models.ForeignKey(
        InstallationCampaign,
        verbose_name=_("campaign"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="installations",
    )

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("installation")
        verbose_name_plural = _("installations")
        ordering: ClassVar = ["-installed_on", "id"]
        indexes: ClassVar = [
            models.Index(fields=["campaign", "district"], name="installation_progress"),
            models.Index(fields=["region", "district"], name="installation_coverage"),
        ]

    def __str__(self) -> str:
        return f"{_('Installation')} #{self.pk}"


class AlarmEvent(ExerciseModel):
    """One event a household's alarm sent (alarm, test, restored, battery low, tamper).

    Unique by device and the device's message id, so a redelivered message is recorded
    once; ``incident`` is the incident the alarm opened or joined; ``outcome`` says what the
    alarm turned out to be (the false-alarm rate per model and household counts it).
    """

    device = models.ForeignKey(
        "ingest.Device",
        verbose_name=_("device"),
        on_delete=models.CASCADE,
        related_name="alarm_events",
    )
    message_id = models.CharField(_("message id"), max_length=64)
    installation = models.ForeignKey(
        Installation,
        verbose_name=_("installation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alarm_events",
    )
    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="alarm_events",
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alarm_events",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ALARM_EVENT_KINDS)
    at = models.DateTimeField(_("device time"))
    received_at = models.DateTimeField(_("received"))
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=ALARM_OUTCOMES, default=AlarmOutcome.PENDING
    )

    scope_region_field: ClassVar[str | None] = "region"
    exercise_wipe_order: ClassVar[int] = 30

    class Meta:
        verbose_name = _("alarm event")
        verbose_name_plural = _("alarm events")
        ordering: ClassVar = ["-at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["device", "message_id"], name="alarm_event_once")
        ]
        indexes: ClassVar = [
            models.Index(fields=["household", "kind", "at"], name="alarm_event_household"),
            models.Index(fields=["kind", "outcome"], name="alarm_event_outcome"),
            models.Index(
                fields=["region", "received_at"],
                condition=models.Q(is_exercise=True),
                name="alarm_event_exercise",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id}"


class CallBack(BaseModel):
    """A call or text to a household's contact after its alarm opened an incident.

    Personal data (the number, what was said): visible only with a rule naming the model.
    """

    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        on_delete=models.CASCADE,
        related_name="alarm_callbacks",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.CASCADE,
        related_name="callbacks",
    )
    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="alarm_callbacks",
    )
    transport = models.CharField(_("transport"), max_length=100)
    to_number = models.CharField(_("number called"), max_length=32)
    language = models.CharField(_("language"), max_length=2, choices=CONTACT_LANGUAGES)
    text = models.TextField(_("message sent"), blank=True)
    reference = models.CharField(
        _("transport reference"), max_length=100, blank=True, help_text=_("The gateway's id.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CALLBACK_STATUSES, default=CallBackStatus.SENT
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=16, choices=CALLBACK_ANSWERS, blank=True)
    answer_text = models.CharField(_("what was said"), max_length=255, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")
        ordering: ClassVar = ["-created_at", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["incident", "status"], name="callback_incident"),
        ]

    def __str__(self) -> str:
        return f"{_('Call-back')} #{self.pk}"

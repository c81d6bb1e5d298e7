"""Choice sets of the home fire-alarm programme."""

from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class ContactLanguage(ChoiceSet):
    """The language the call-back speaks to a household in."""

    KK = "kk"
    RU = "ru"
    EN = "en"

    CHOICES = [
        (KK, _("Kazakh"), "#1f78b4"),
        (RU, _("Russian"), "#33a02c"),
        (EN, _("English"), "#6a3d9a"),
    ]


class CallBackStatus(ChoiceSet):
    """Where a call-back to a household stands."""

    SENT = "sent"
    ANSWERED = "answered"
    NO_ANSWER = "no_answer"
    FAILED = "failed"

    CHOICES = [
        (SENT, _("Sent, waiting for an answer"), "#74add1"),
        (ANSWERED, _("Answered"), "#1a9850"),
        (NO_ANSWER, _("No answer"), "#fdae61"),
        (FAILED, _("Could not be sent"), "#d73027"),
    ]


class CallBackAnswer(ChoiceSet):
    """What the household said when called back after an alarm."""

    FALSE_ALARM = "false_alarm"
    FIRE_CONFIRMED = "fire_confirmed"
    NO_ANSWER = "no_answer"
    OTHER = "other"

    CHOICES = [
        (FALSE_ALARM, _("False alarm"), "#1a9850"),
        (FIRE_CONFIRMED, _("Fire confirmed"), "#d73027"),
        (NO_ANSWER, _("No answer"), "#fdae61"),
        (OTHER, _("Other answer"), "#969696"),
    ]


class AlarmEventKind(ChoiceSet):
    """The device events the programme records (heartbeats are the device's own business)."""

    ALARM = "alarm"
    TEST = "test"
    RESTORED = "restored"
    BATTERY_LOW = "battery_low"
    TAMPER = "tamper"

    CHOICES = [
        (ALARM, _("Alarm"), "#d7301f"),
        (TEST, _("Test"), "#74add1"),
        (RESTORED, _("Restored"), "#4393c3"),
        (BATTERY_LOW, _("Battery low"), "#fdae61"),
        (TAMPER, _("Tamper"), "#7b3294"),
    ]


class AlarmOutcome(ChoiceSet):
    """What an alarm turned out to be; the false-alarm rate counts ``false_alarm``."""

    PENDING = "pending"
    INCIDENT = "incident"
    JOINED = "joined"
    FALSE_ALARM = "false_alarm"
    FIRE = "fire"
    IGNORED = "ignored"

    CHOICES = [
        (PENDING, _("Not known yet"), "#969696"),
        (INCIDENT, _("Opened an incident"), "#d7301f"),
        (JOINED, _("Joined an open incident"), "#fc8d59"),
        (FALSE_ALARM, _("False alarm"), "#1a9850"),
        (FIRE, _("Fire confirmed"), "#a50026"),
        (IGNORED, _("Not acted on"), "#525252"),
    ]


CONTACT_LANGUAGES = ContactLanguage.choices()
CALLBACK_STATUSES = CallBackStatus.choices()
CALLBACK_ANSWERS = CallBackAnswer.choices()
ALARM_EVENT_KINDS = AlarmEventKind.choices()
ALARM_OUTCOMES = AlarmOutcome.choices()

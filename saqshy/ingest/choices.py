from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class DeviceKind(ChoiceSet):
    """What sends: a home fire-alarm sensor, a utility site's telemetry gateway, a camera."""

    FIRE_ALARM = "fire_alarm"
    SITE_GATEWAY = "site_gateway"
    CAMERA = "camera"
    TRACKER = "tracker"

    CHOICES = [
        (FIRE_ALARM, _("Home fire alarm"), "#d7301f"),
        (SITE_GATEWAY, _("Utility site telemetry"), "#fe9929"),
        (CAMERA, _("Camera"), "#525252"),
        (TRACKER, _("Vehicle tracker"), "#2c7fb8"),
    ]


class DeviceStatus(ChoiceSet):
    NEW = "new"
    ONLINE = "online"
    OFFLINE = "offline"
    RETIRED = "retired"

    CHOICES = [
        (NEW, _("Not heard from yet"), "#969696"),
        (ONLINE, _("Online"), "#1a9850"),
        (OFFLINE, _("Offline"), "#d73027"),
        (RETIRED, _("Retired"), "#525252"),
    ]


class MessageKind(ChoiceSet):
    """The ``{kind}`` of ``saqshy/alarms/{device}/{kind}``; ``reading`` is telemetry,
    ``position`` a vehicle tracker's fix (``saqshy/positions/{tracker}/fix``)."""

    ALARM = "alarm"
    HEARTBEAT = "heartbeat"
    BATTERY_LOW = "battery_low"
    TAMPER = "tamper"
    TEST = "test"
    RESTORED = "restored"
    READING = "reading"
    POSITION = "position"

    CHOICES = [
        (ALARM, _("Alarm"), "#d7301f"),
        (HEARTBEAT, _("Heartbeat"), "#1a9850"),
        (BATTERY_LOW, _("Battery low"), "#fdae61"),
        (TAMPER, _("Tamper"), "#7b3294"),
        (TEST, _("Test"), "#74add1"),
        (RESTORED, _("Restored"), "#4393c3"),
        (READING, _("Telemetry reading"), "#fe9929"),
        (POSITION, _("Position fix"), "#2c7fb8"),
    ]

    DEVICE_EVENTS = (ALARM, HEARTBEAT, BATTERY_LOW, TAMPER, TEST, RESTORED)


DEVICE_KINDS = DeviceKind.choices()
DEVICE_STATUSES = DeviceStatus.choices()
MESSAGE_KINDS = MessageKind.choices()

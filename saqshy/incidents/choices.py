from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class UnitKind(ChoiceSet):
    PATROL_CAR = "patrol_car"
    FOOT_PATROL = "foot_patrol"
    TRAFFIC_POLICE = "traffic_police"
    FIRE_ENGINE = "fire_engine"
    LADDER = "ladder"
    RESCUE = "rescue"
    AMBULANCE = "ambulance"
    SPECIAL = "special_equipment"
    HELICOPTER = "helicopter"

    CHOICES = [
        (PATROL_CAR, _("Police patrol car"), "#2166ac"),
        (FOOT_PATROL, _("Foot patrol"), "#4393c3"),
        (TRAFFIC_POLICE, _("Traffic police"), "#5e3c99"),
        (FIRE_ENGINE, _("Fire engine"), "#d73027"),
        (LADDER, _("Aerial ladder"), "#f46d43"),
        (RESCUE, _("Rescue team"), "#fdae61"),
        (AMBULANCE, _("Ambulance"), "#e7298a"),
        (SPECIAL, _("Special equipment (snowplough, tow truck)"), "#8c510a"),
        (HELICOPTER, _("Helicopter"), "#1b7837"),
    ]


class UnitStatus(ChoiceSet):
    AVAILABLE = "available"
    DISPATCHED = "dispatched"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    RETURNING = "returning"
    OUT_OF_SERVICE = "out_of_service"

    CHOICES = [
        (AVAILABLE, _("Available"), "#1a9850"),
        (DISPATCHED, _("Dispatched"), "#fdae61"),
        (EN_ROUTE, _("En route"), "#f46d43"),
        (ON_SCENE, _("On scene"), "#d73027"),
        (RETURNING, _("Returning"), "#74add1"),
        (OUT_OF_SERVICE, _("Out of service"), "#969696"),
    ]

    # Working on an incident: only the dispatch service puts a unit here.
    BUSY = (DISPATCHED, EN_ROUTE, ON_SCENE)
    # What a unit's own record may be set to by hand (PATCH); the rest follow the incident.
    MANUAL = (AVAILABLE, RETURNING, OUT_OF_SERVICE)


class IncidentStatus(ChoiceSet):
    NEW = "new"
    DISPATCHED = "dispatched"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    CHOICES = [
        (NEW, _("New"), "#e31a1c"),
        (DISPATCHED, _("Dispatched"), "#fd8d3c"),
        (EN_ROUTE, _("Units en route"), "#feb24c"),
        (ON_SCENE, _("Units on scene"), "#3182bd"),
        (CLOSED, _("Closed"), "#636363"),
        (CANCELLED, _("Cancelled"), "#bdbdbd"),
    ]

    # The state machine: each transition is named after the status it reaches, with the
    # statuses it may start from; the services refuse anything else (409).
    TRANSITIONS = {
        DISPATCHED: ((NEW,), DISPATCHED),
        EN_ROUTE: ((DISPATCHED,), EN_ROUTE),
        ON_SCENE: ((DISPATCHED, EN_ROUTE), ON_SCENE),
        CLOSED: ((NEW, DISPATCHED, EN_ROUTE, ON_SCENE), CLOSED),
        CANCELLED: ((NEW, DISPATCHED, EN_ROUTE), CANCELLED),
    }
    OPEN = (NEW, DISPATCHED, EN_ROUTE, ON_SCENE)
    FINAL = (CLOSED, CANCELLED)


class IncidentSource(ChoiceSet):
    CALL_102 = "call_102"
    CALL_101 = "call_101"
    CALL_103 = "call_103"
    CALL_112 = "call_112"
    PATROL = "patrol"
    CAMERA = "camera"
    SENSOR = "sensor"
    CITIZEN = "citizen"
    AGENCY = "agency"

    CHOICES = [
        (CALL_102, _("Call to 102 (police)"), "#2166ac"),
        (CALL_101, _("Call to 101 (fire)"), "#d73027"),
        (CALL_103, _("Call to 103 (ambulance)"), "#e7298a"),
        (CALL_112, _("Call to 112 (emergency)"), "#fdae61"),
        (PATROL, _("Patrol report"), "#4393c3"),
        (CAMERA, _("Camera"), "#762a83"),
        (SENSOR, _("Sensor"), "#8c510a"),
        (CITIZEN, _("Citizen app"), "#1b9e77"),
        (AGENCY, _("Another agency"), "#969696"),
    ]


class Priority(ChoiceSet):
    CRITICAL = "1"
    HIGH = "2"
    MEDIUM = "3"
    LOW = "4"

    CHOICES = [
        (CRITICAL, _("1 – critical"), "#a50026"),
        (HIGH, _("2 – high"), "#f46d43"),
        (MEDIUM, _("3 – medium"), "#fee08b"),
        (LOW, _("4 – low"), "#d9ef8b"),
    ]

    @classmethod
    def integer_choices(cls) -> list[tuple[int, object]]:
        return [(int(value), label) for value, label in cls.choices()]


class JournalKind(ChoiceSet):
    AUTO = "auto"
    NOTE = "note"

    CHOICES = [
        (AUTO, _("Automatic"), "#969696"),
        (NOTE, _("Note"), "#3182bd"),
    ]


UNIT_KINDS = UnitKind.choices()
UNIT_STATUSES = UnitStatus.choices()
INCIDENT_STATUSES = IncidentStatus.choices()
INCIDENT_SOURCES = IncidentSource.choices()
JOURNAL_KINDS = JournalKind.choices()

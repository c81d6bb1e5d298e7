"""Safety advice for the holidays shown on the public page: fireworks, ice, cold, children.

Plain, short sentences a resident reads on a phone; each topic is a title and its tips. The
emergency numbers are Kazakhstan's (112 reaches every service); another country edits them here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Advice:
    key: str
    title: str | Promise
    tips: tuple[str | Promise, ...]


ADVICE: tuple[Advice, ...] = (
    Advice(
        "fireworks",
        _("Fireworks"),
        (
            _("Buy fireworks only in shops, never from hand or online without a certificate."),
            _("Launch them outdoors, at least 20 metres from people, houses and cars."),
            _("Never hold a lit firework in your hand or lean over it."),
            _("A firework that did not go off: do not approach it for 10 minutes, then soak it."),
            _("Children may not launch fireworks; adults keep them out of their reach."),
        ),
    ),
    Advice(
        "ice",
        _("Ice on rivers and lakes"),
        (
            _("Do not go onto the ice outside marked crossings and skating rinks."),
            _("Ice thinner than 10 centimetres does not hold a person."),
            _("If the ice cracks, lie down and crawl back the way you came."),
            _("Someone fell through: call 112, hold out a scarf or a stick, do not run to them."),
        ),
    ),
    Advice(
        "cold",
        _("Frost and blizzards"),
        (
            _("Below −30 °C stay indoors where you can; dress in layers and cover your face."),
            _("Before a trip check the road status and the weather; a closed road stays closed."),
            _("Fill the tank, take warm clothes, water, food, a charged phone and a shovel."),
            _(
                "Stuck on the road: stay in the car, call 112, run the engine for 10 minutes an "
                "hour and keep the exhaust pipe clear of snow."
            ),
            _("Do not heat the home with a gas stove or an oven; check the chimney for draught."),
        ),
    ),
    Advice(
        "children",
        _("Children on holiday"),
        (
            _("Know where your children are and with whom; agree on a time to be home."),
            _("Keep matches, lighters and fireworks away from children."),
            _("Do not leave children alone near a lit stove, candles or a Christmas tree."),
            _("Children's group trips must be registered with the police for an escort."),
        ),
    ),
)

EMERGENCY_NUMBERS: tuple[tuple[str, str | Promise], ...] = (
    ("112", _("Single emergency number")),
    ("101", _("Fire and rescue")),
    ("102", _("Police")),
    ("103", _("Ambulance")),
    ("104", _("Gas emergency")),
)

from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.indicators import Indicator
from saqshy.core.registry import AppDeclaration, NavEntry, PageUrls

INDICATORS = (
    Indicator(
        "trips_escorted",
        _("Trips escorted"),
        _("police escort of every children's group trip out of town"),
        _(
            "Share of the children's trips due to leave in the period (cancelled and "
            "rejected ones left out) that have a police escort assigned."
        ),
        "trips.trip",
        "saqshy.trips.indicators.trips_escorted",
        unit="share",
        order=60,
    ),
)


class TripsConfig(registry.SaqshyAppConfig):
    name = "saqshy.trips"
    label = "trips"
    verbose_name = _("Children's group trips")
    declaration = AppDeclaration(
        indicators=INDICATORS,
        pages=(PageUrls("trips/", "saqshy.trips.urls"),),
        api="saqshy.trips.api.urls",
        nav=(NavEntry(_("Children's trips"), "trips:list", 60, ("trips",)),),
        role_rules={
            "planner": (("*", "trips.*"),),
            "field-officer": (("view", "trips.*"), ("change", "trips.trip")),
            "trip-organiser": (
                ("view", "trips.*"),
                ("add", "trips.trip"),
                ("change", "trips.trip"),
            ),
        },
    )

    def ready(self) -> None:
        super().ready()
        # An escort's approved trip is a window the duty roster must leave free.
        from saqshy.duty.rosters.planning import register_commitments
        from saqshy.trips.queries import escort_commitments

        register_commitments(escort_commitments)

from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, NavEntry, PageUrls


class TripsConfig(registry.SaqshyAppConfig):
    name = "saqshy.trips"
    label = "trips"
    verbose_name = _("Children's group trips")
    declaration = AppDeclaration(
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

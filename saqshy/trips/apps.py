from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TripsConfig(AppConfig):
    name = "saqshy.trips"
    label = "trips"
    verbose_name = _("Children's group trips")

    def ready(self) -> None:
        # An escort's approved trip is a window the duty roster must leave free.
        from saqshy.duty.rosters.planning import register_commitments
        from saqshy.trips.queries import escort_commitments

        register_commitments(escort_commitments)

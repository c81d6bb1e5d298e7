from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TripsConfig(AppConfig):
    name = "saqshy.trips"
    label = "trips"
    verbose_name = _("Children's group trips")

from django.utils.translation import gettext_lazy as _

from saqshy.core.choices import ChoiceSet


class AgencyKind(ChoiceSet):
    POLICE = "police"
    EMERGENCY = "emergency"
    AKIMAT = "akimat"
    EDUCATION = "education"
    HEALTH = "health"
    ENERGY = "energy"
    TRANSPORT = "transport"
    COMMISSION = "commission"

    CHOICES = [
        (POLICE, _("Police"), "#1f4e9c"),
        (EMERGENCY, _("Emergency and fire service"), "#d7301f"),
        (AKIMAT, _("Akimat (local administration)"), "#6a51a3"),
        (EDUCATION, _("Education"), "#238b45"),
        (HEALTH, _("Health"), "#e7298a"),
        (ENERGY, _("Energy and utilities"), "#fe9929"),
        (TRANSPORT, _("Transport"), "#525252"),
        (COMMISSION, _("Commission"), "#8c6d31"),
    ]


AGENCY_KINDS = AgencyKind.choices()


class RegionKind(ChoiceSet):
    REGION = "region"
    CITY = "city"

    CHOICES = [
        (REGION, _("Region"), "#756bb1"),
        (CITY, _("City of republican significance"), "#de2d26"),
    ]


REGION_KINDS = RegionKind.choices()

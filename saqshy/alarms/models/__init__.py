"""The home fire-alarm programme's models; one module per concern, re-exported here."""

from saqshy.alarms.models.health import MaintenanceTask
from saqshy.alarms.models.households import (
    AlarmEvent,
    CallBack,
    CampaignTarget,
    Household,
    HouseholdCategory,
    Installation,
    InstallationCampaign,
)

__all__ = [
    "AlarmEvent",
    "CallBack",
    "CampaignTarget",
    "Household",
    "HouseholdCategory",
    "Installation",
    "InstallationCampaign",
    "MaintenanceTask",
]

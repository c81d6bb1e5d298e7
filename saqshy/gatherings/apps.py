from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.indicators import Indicator
from saqshy.core.registry import AppDeclaration, MapLayer, NavEntry, PageUrls

INDICATORS = (
    Indicator(
        "events_held",
        _("Events held"),
        _("security for more than 1,000 mass events, most of them for children"),
        _("Mass events marked as held that started in the period."),
        "gatherings.gathering",
        "saqshy.gatherings.indicators.events_held",
        unit="count",
        order=10,
    ),
    Indicator(
        "events_secured",
        _("Events secured"),
        _("security for more than 1,000 mass events, most of them for children"),
        _(
            "Share of the period's mass events (cancelled ones left out) that are "
            "approved or held: every approval gate passed."
        ),
        "gatherings.gathering",
        "saqshy.gatherings.indicators.events_secured",
        unit="share",
        order=11,
    ),
    Indicator(
        "events_blocked",
        _("Events blocked by a gate"),
        _("security for more than 1,000 mass events, most of them for children"),
        _(
            "Mass events of the period still in draft or submitted with at least one "
            "approval gate failing."
        ),
        "gatherings.gathering",
        "saqshy.gatherings.indicators.events_blocked",
        unit="count",
        higher_is_better=False,
        order=12,
    ),
)


class GatheringsConfig(registry.SaqshyAppConfig):
    name = "saqshy.gatherings"
    label = "gatherings"
    verbose_name = _("Mass events")
    declaration = AppDeclaration(
        indicators=INDICATORS,
        map_layers=(
            MapLayer(
                scripts=("gatherings/map-events.js",),
                legend="gatherings/map_legend.html",
            ),
        ),
        pages=(PageUrls("events/", "saqshy.gatherings.urls"),),
        api="saqshy.gatherings.api.urls",
        nav=(NavEntry(_("Mass events"), "gatherings:list", 50, ("gatherings",)),),
        role_rules={
            "planner": (("*", "gatherings.*"),),
            "field-officer": (("view", "gatherings.*"),),
            "viewer": (("view", "gatherings.*"),),
        },
        schema_enums={
            "GatheringKindEnum": "saqshy.gatherings.choices.GATHERING_KINDS",
            "GatheringStatusEnum": "saqshy.gatherings.choices.GATHERING_STATUSES",
        },
    )

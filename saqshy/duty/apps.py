from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.indicators import Indicator
from saqshy.core.registry import AppDeclaration, MapLayer, NavEntry, PageUrls

INDICATORS = (
    Indicator(
        "duty_coverage",
        _("Duty coverage"),
        _("more police patrols and 24/7 duty at strategic facilities and crowded places"),
        _(
            "Share of the person-hours the posts need in the period (readiness level "
            "applied) that rostered shifts cover."
        ),
        "duty.shift",
        "saqshy.duty.indicators.duty_coverage",
        unit="share",
        order=50,
    ),
)


class DutyConfig(registry.SaqshyAppConfig):
    name = "saqshy.duty"
    label = "duty"
    verbose_name = _("Duty, posts and patrols")
    declaration = AppDeclaration(
        indicators=INDICATORS,
        pages=(PageUrls("duty/", "saqshy.duty.urls"),),
        api="saqshy.duty.api.urls",
        nav=(NavEntry(_("Duty"), "duty:posts", 100, ("duty",)),),
        role_rules={"planner": (("*", "duty.*"),), "field-officer": (("view", "duty.*"),)},
        map_layers=(
            MapLayer(
                config="saqshy.duty.map.layer_config",
                scripts=("duty/map-patrols.js",),
                legend="duty/map_legend.html",
            ),
        ),
        banners=("duty/readiness_banner.html",),
    )

    def ready(self) -> None:
        super().ready()
        # The plan run services queue runs; the task that computes them imports those
        # services, so it is handed down here instead of imported upwards (no cycle).
        from saqshy.duty.rosters import plans, tasks

        plans.register_runner(tasks.run_plan.enqueue)

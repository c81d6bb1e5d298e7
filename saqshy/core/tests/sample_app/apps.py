"""A stand-in for the next app: everything it brings is declared here and nowhere else."""

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, MapLayer, NavEntry, PageUrls


class SampleConfig(registry.SaqshyAppConfig):
    name = "saqshy.core.tests.sample_app"
    label = "sample_app"
    declaration = AppDeclaration(
        pages=(PageUrls("sample/", "saqshy.core.tests.sample_app.urls"),),
        api="saqshy.core.tests.sample_app.api",
        nav=(NavEntry("Sample pages", "sample:home", 55, ("sample",)),),
        role_rules={"viewer": (("view", "accounts.region"),)},
        map_layers=(
            MapLayer(
                config="saqshy.core.tests.sample_app.api.layer_config",
                scripts=("sample_app/layer.js",),
                legend="sample_app/legend.html",
            ),
        ),
        banners=("sample_app/banner.html",),
        schema_enums={"SampleKindEnum": "saqshy.core.tests.sample_app.api.KINDS"},
    )

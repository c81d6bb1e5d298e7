from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import AppDeclaration, MapLayer


class GeocodingConfig(registry.SaqshyAppConfig):
    name = "saqshy.geocoding"
    label = "geocoding"
    verbose_name = _("Geocoding")
    declaration = AppDeclaration(
        api="saqshy.geocoding.api.urls",
        map_layers=(
            MapLayer(
                config="saqshy.geocoding.map.layer_config",
                scripts=("geocoding/address.js", "geocoding/map.js"),
            ),
        ),
        schema_enums={"GeocodeKindEnum": "saqshy.geocoding.api.serializers.KINDS"},
        roles=False,
    )

from __future__ import annotations

import factory

from saqshy.core.testing.geography import CENTRES, make_region
from saqshy.ingest.models import Device


class DeviceFactory(factory.django.DjangoModelFactory):
    """A home fire alarm in Astana unless told otherwise."""

    class Meta:
        model = Device

    serial = factory.Sequence(lambda n: f"FA-{n:06d}")
    kind = "fire_alarm"
    region = factory.LazyFunction(lambda: make_region("astana"))
    model = "Smoke-1"
    lat = factory.LazyAttribute(lambda o: CENTRES[o.region.slug][0])
    lon = factory.LazyAttribute(lambda o: CENTRES[o.region.slug][1])

from __future__ import annotations

import factory

from saqshy.core.testing.geography import CENTRES
from saqshy.facilities.models import Facility


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    kind = "school"
    name = factory.Sequence(lambda n: f"School No. {n}")
    lat = factory.LazyAttribute(lambda o: CENTRES[o.region.slug][0])
    lon = factory.LazyAttribute(lambda o: CENTRES[o.region.slug][1])

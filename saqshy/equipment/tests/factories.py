from __future__ import annotations

import datetime as dt

import factory

from saqshy.core.testing.geography import CENTRES
from saqshy.equipment.models import EquipmentCheck, FacilityEquipment, Hydrant, HydrantCheck
from saqshy.facilities.tests.factories import FacilityFactory


class HydrantFactory(factory.django.DjangoModelFactory):
    """Pass ``region``; the hydrant stands at the region's centre unless placed."""

    class Meta:
        model = Hydrant

    code = factory.Sequence(lambda n: f"PG-{n}")
    kind = "underground"
    lat = factory.LazyAttribute(lambda o: CENTRES[o.region.slug][0])
    lon = factory.LazyAttribute(lambda o: CENTRES[o.region.slug][1])
    operable = True


class HydrantCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HydrantCheck

    checked_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=3))
    operable = True
    pressure_ok = True
    access_clear = True


class FacilityEquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacilityEquipment

    facility = factory.SubFactory(FacilityFactory)
    kind = "extinguisher"
    quantity = 4
    model_name = "OP-4(z)"


class EquipmentCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquipmentCheck

    equipment = factory.SubFactory(FacilityEquipmentFactory)
    checked_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=3))
    in_order = True

from __future__ import annotations

import datetime

import factory
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils import timezone

from saqshy.accounts.models import Agency, Grant, Role, User
from saqshy.core.testing.geography import CENTRES
from saqshy.core.testing.personas import Personas
from saqshy.pyrotechnics.models import Outlet, Raid, RaidVisit, Seizure, SeizureLine


def today() -> datetime.date:
    return timezone.localdate()


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    kind = "retail"
    name = factory.Sequence(lambda n: f"Fireworks kiosk No. {n}")
    operator = "IP Salut"
    lat = factory.LazyAttribute(lambda o: CENTRES[o.region.slug][0])
    lon = factory.LazyAttribute(lambda o: CENTRES[o.region.slug][1])
    certificate_number = factory.Sequence(lambda n: f"KZ.7500.{n:05d}")
    certificate_expires = factory.LazyFunction(lambda: today() + datetime.timedelta(days=90))


class RaidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Raid

    planned_on = factory.LazyFunction(today)
    team = factory.Sequence(lambda n: f"Patrol group {n}")


class RaidVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RaidVisit


class SeizureFactory(factory.django.DjangoModelFactory):
    """A seizure at ``outlet`` with one uncertified line unless ``lines=[...]`` is given."""

    class Meta:
        model = Seizure
        skip_postgeneration_save = True

    region = factory.LazyAttribute(lambda o: o.outlet.region)
    seized_on = factory.LazyFunction(today)

    @factory.post_generation
    def lines(obj: Seizure, create: bool, extracted: list[dict] | None, **kwargs: object) -> None:
        if not create:
            return
        for values in extracted or [{"product": "Battery 100 shots", "units": 10, "boxes": 1}]:
            SeizureLine.objects.create(seizure=obj, **values)


RAIDER_ROLE = "pyrotechnics-raider-test"


def make_raider(personas: Personas, username: str = "raider_almaty") -> User:
    """A person who may view, add, change and delete every pyrotechnics record (and view
    facilities and reference data), granted in Almaty only; stored as ``personas.<username>``.

    The default roles are not yet given pyrotechnics writes, so the tests grant their own.
    """
    role, _ = Role.objects.get_or_create(
        slug=RAIDER_ROLE, defaults={"name_en": "Pyrotechnics raider", "all_agencies": True}
    )
    role.permissions.set(
        Permission.objects.filter(
            Q(content_type__app_label="pyrotechnics")
            | Q(
                content_type__app_label__in=["facilities", "accounts"], codename__startswith="view_"
            )
        )
    )
    user = User.objects.create_user(username=username, password="pw-" + username)
    agency = Agency.objects.get(code="police-almaty")
    Grant.objects.create(user=user, agency=agency, role=role, region=personas.almaty)
    setattr(personas, username, user)
    return user

"""The default roles, as data: which actions each role may take on which models.

A rule is ``(action, target)``: ``action`` is view/add/change/delete, a model's own action
(``close``/``cancel`` an incident, ``withdraw`` a unit from service) or ``*``; ``target`` is
``app.model``, ``app.*`` or ``*`` (every Saqshy model). *Where* a role acts comes from its
grant and from ``all_agencies``: the duty officer closes any call and withdraws any unit of
the region, a dispatcher only the calls their agency took and their agency's units
(``incidents/services.py``). Rules are resolved against Django's
permission table after every migration, so a new app's models join the roles automatically.
The default roles are reset to this table on every migration (change them here, in code
review); a region that needs something else adds its own role in the admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SAQSHY_APPS = (
    "accounts",
    "core",
    "facilities",
    "inspections",
    "equipment",
    "pyrotechnics",
    "gatherings",
    "prevention",
    "incidents",
    "forecasts",
    "duty",
    "trips",
)
REFERENCE_DATA = (
    "accounts.region",
    "accounts.district",
    "accounts.agency",
    "accounts.role",
    "accounts.norm",
    "inspections.checklistitem",
    "incidents.incidenttype",
)

Rule = tuple[str, str]

# Closing or cancelling a call and taking a unit off the road: the duty officer (all agencies)
# and dispatchers (their own agency). Spelled out although ``("*", "incidents.*")`` covers them,
# so granting incidents to another role is a decision about these too. A field officer may
# change a unit (position, back in service) but not withdraw it.
_ENDS_CALLS: list[Rule] = [
    ("close", "incidents.incident"),
    ("cancel", "incidents.incident"),
    ("withdraw", "incidents.unit"),
]

DEFAULT_ROLES: dict[str, dict[str, Any]] = {
    "admin": {
        "names": (_("Administrator"), "Әкімші", "Администратор"),
        "all_agencies": True,
        "rules": [("*", "*")],
    },
    "commission-analyst": {
        "names": (_("Commission analyst"), "Комиссия сарапшысы", "Аналитик комиссии"),
        "all_agencies": True,
        "rules": [("view", "*")],
    },
    "planner": {
        "names": (_("Planner"), "Жоспарлаушы", "Планировщик"),
        "all_agencies": False,
        "rules": [
            ("view", "*"),
            ("*", "facilities.*"),
            ("*", "gatherings.*"),
            ("*", "pyrotechnics.*"),
            ("*", "forecasts.*"),
            ("*", "duty.*"),
            ("*", "trips.*"),
        ],
    },
    "duty-officer": {
        "names": (_("Duty officer"), "Кезекші офицер", "Оперативный дежурный"),
        "all_agencies": True,
        "rules": [
            ("view", "*"),
            ("change", "facilities.facility"),
            ("*", "incidents.*"),
            *_ENDS_CALLS,
        ],
    },
    "dispatcher": {
        "names": (_("Dispatcher"), "Диспетчер", "Диспетчер"),
        "all_agencies": False,
        "rules": [("view", "*"), ("*", "incidents.*"), *_ENDS_CALLS],
    },
    "inspector": {
        "names": (_("Inspector"), "Инспектор", "Инспектор"),
        "all_agencies": True,
        "rules": [
            ("view", "*"),
            ("add", "facilities.*"),
            ("change", "facilities.*"),
            ("*", "inspections.*"),
            ("*", "equipment.*"),
            ("*", "prevention.*"),
            ("*", "pyrotechnics.*"),
        ],
    },
    "field-officer": {
        "names": (_("Field officer"), "Далалық қызметкер", "Полевой сотрудник"),
        "all_agencies": False,
        "rules": [
            ("view", "facilities.*"),
            ("view", "accounts.*"),
            ("view", "gatherings.*"),
            ("view", "pyrotechnics.*"),
            ("change", "pyrotechnics.raidvisit"),
            ("add", "pyrotechnics.seizure"),
            ("add", "pyrotechnics.seizureline"),
            ("view", "incidents.*"),
            ("change", "incidents.unit"),
            ("view", "duty.*"),
            ("view", "trips.*"),
            ("change", "trips.trip"),
        ],
    },
    "trip-organiser": {
        "names": (_("Trip organiser"), "Сапар ұйымдастырушы", "Организатор поездок"),
        "all_agencies": False,
        "rules": [
            ("view", "facilities.*"),
            ("view", "accounts.*"),
            ("view", "trips.*"),
            ("add", "trips.trip"),
            ("change", "trips.trip"),
        ],
    },
    "viewer": {
        "names": (_("Viewer"), "Бақылаушы", "Наблюдатель"),
        "all_agencies": False,
        "rules": [
            ("view", "facilities.*"),
            ("view", "accounts.*"),
            ("view", "gatherings.*"),
            ("view", "pyrotechnics.*"),
        ],
    },
}

# Roles that manage accounts and reference data; everyone else only reads them.
_WRITES_REFERENCE = {"admin"}


def _matches(rule: Rule) -> Q:
    action, target = rule
    query = Q(content_type__app_label__in=SAQSHY_APPS)
    if action != "*":
        query &= Q(codename__startswith=f"{action}_")
    if target != "*":
        app_label, model = target.split(".", 1)
        query &= Q(content_type__app_label=app_label)
        if model != "*":
            query &= Q(content_type__model=model)
    return query


def permissions_for(slug: str) -> list[Permission]:
    spec = DEFAULT_ROLES[slug]
    query = Q(pk__in=[])
    for rule in spec["rules"]:
        query |= _matches(rule)
    perms = Permission.objects.filter(query).select_related("content_type")
    result = []
    for perm in perms:
        target = f"{perm.content_type.app_label}.{perm.content_type.model}"
        writes = not perm.codename.startswith("view_")
        if writes and target in REFERENCE_DATA and slug not in _WRITES_REFERENCE:
            continue
        result.append(perm)
    return result


def sync_roles() -> int:
    """Create or refresh the default roles; returns how many exist."""
    from saqshy.accounts.models import Role

    for slug, spec in DEFAULT_ROLES.items():
        name_en, name_kk, name_ru = spec["names"]
        role, _created = Role.objects.update_or_create(
            slug=slug,
            defaults={
                "name_en": str(name_en),
                "name_kk": name_kk,
                "name_ru": name_ru,
                "all_agencies": spec["all_agencies"],
            },
        )
        role.permissions.set(permissions_for(slug))
    return len(DEFAULT_ROLES)


def sync_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    if getattr(sender, "label", "") != "accounts":
        return
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=kwargs.get("using", "default"))
    sync_roles()

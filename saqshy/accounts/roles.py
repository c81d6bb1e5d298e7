"""The default roles, as data: which actions each role may take on which models.

A rule is ``(action, target)``: ``action`` is view/add/change/delete, a model's own action
(``close``/``cancel`` an incident, ``withdraw`` a unit from service) or ``*``; ``target`` is
``app.model``, ``app.*`` or ``*`` (every Saqshy model). The rules below are the ones that span
apps; each app adds its own in its ``AppConfig`` declaration (``saqshy/core/registry.py``).
Rules are resolved against Django's permission table after every migration, so a new app's
models join the roles automatically.
The default roles are reset to this table on every migration (change them here, in code
review); a region that needs something else adds its own role in the admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saqshy.core import registry
from saqshy.core.registry import Rule

DEFAULT_ROLES: dict[str, dict[str, Any]] = {
    "admin": {
        "names": (_("Administrator"), "Әкімші", "Администратор"),
        "all_agencies": True,
        # Personal data (households) is granted only by name: the apps name it for admin.
        "rules": [("*", "*")],
    },
    "commission-analyst": {
        "names": (_("Commission analyst"), "Комиссия сарапшысы", "Аналитик комиссии"),
        "all_agencies": True,
        "home": "indicators:national",
        "rules": [("view", "*")],
    },
    # The commission's secretariat keeps the action plan and assembles the national summary;
    # each region's coordinator writes and submits the daily report, its head approves it. The
    # commission apps add their rules (saqshy/actionplan/apps.py, saqshy/reports/apps.py).
    "commission-secretary": {
        "names": (_("Commission secretary"), "Комиссия хатшысы", "Секретарь комиссии"),
        "all_agencies": True,
        "home": "indicators:national",
        "rules": [("view", "*")],
    },
    "region-coordinator": {
        "names": (_("Regional coordinator"), "Өңірлік үйлестіруші", "Региональный координатор"),
        "all_agencies": True,
        "rules": [("view", "*")],
    },
    "region-head": {
        "names": (_("Head of the region"), "Өңір басшысы", "Руководитель региона"),
        "all_agencies": True,
        "rules": [("view", "*")],
    },
    "planner": {
        "names": (_("Planner"), "Жоспарлаушы", "Планировщик"),
        "all_agencies": False,
        "rules": [("view", "*")],
    },
    "duty-officer": {
        "names": (_("Duty officer"), "Кезекші офицер", "Оперативный дежурный"),
        "all_agencies": True,
        "rules": [("view", "*")],
    },
    "dispatcher": {
        "names": (_("Dispatcher"), "Диспетчер", "Диспетчер"),
        "all_agencies": False,
        "rules": [("view", "*")],
    },
    "inspector": {
        "names": (_("Inspector"), "Инспектор", "Инспектор"),
        "all_agencies": True,
        "rules": [("view", "*")],
        # Inspectors start their day on the risk-ranked work queue, not the dispatch map.
        "home": "prevention:queue",
    },
    "field-officer": {
        "names": (_("Field officer"), "Далалық қызметкер", "Полевой сотрудник"),
        "all_agencies": False,
        "rules": [],
    },
    "trip-organiser": {
        "names": (_("Trip organiser"), "Сапар ұйымдастырушы", "Организатор поездок"),
        "all_agencies": False,
        "rules": [],
    },
    "viewer": {
        "names": (_("Viewer"), "Бақылаушы", "Наблюдатель"),
        "all_agencies": False,
        "rules": [],
    },
    # The akimat's social services keep the households of the home fire-alarm programme; the
    # app adds their rules (saqshy/alarms/apps.py).
    "social-services": {
        "names": (_("Social services"), "Әлеуметтік қызмет", "Социальная служба"),
        "all_agencies": False,
        "rules": [("view", "accounts.region"), ("view", "accounts.district")],
    },
}

# Roles that manage accounts and reference data; everyone else only reads them.
_WRITES_REFERENCE = {"admin"}


def _matches(rule: Rule) -> Q:
    action, target = rule
    query = Q(content_type__app_label__in=registry.role_apps())
    if action != "*":
        query &= Q(codename__startswith=f"{action}_")
    if target != "*":
        app_label, model = target.split(".", 1)
        query &= Q(content_type__app_label=app_label)
        if model != "*":
            query &= Q(content_type__model=model)
    return query


def permissions_for(slug: str) -> list[Permission]:
    """The permissions of default role ``slug``; personal data only where a rule names it."""
    spec = DEFAULT_ROLES[slug]
    reference_data = registry.reference_data()
    personal_data = registry.personal_data()
    rules: list[Rule] = [*spec["rules"], *registry.role_rules(slug)]
    named = {target for _action, target in rules}
    query = Q(pk__in=[])
    for rule in rules:
        query |= _matches(rule)
    perms = Permission.objects.filter(query).select_related("content_type")
    result = []
    for perm in perms:
        target = f"{perm.content_type.app_label}.{perm.content_type.model}"
        writes = not perm.codename.startswith("view_")
        if writes and target in reference_data and slug not in _WRITES_REFERENCE:
            continue
        if target in personal_data and target not in named:
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
                "home_page": spec.get("home", ""),
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

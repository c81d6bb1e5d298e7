"""Named people that every access test uses, so a failure reads like a story.

``dispatcher_astana`` works in Astana's police, ``inspector_almaty`` in Almaty's emergency
department, ``planner_astana`` may add and change facilities in Astana, ``analyst_national``
reads everything, ``viewer_other_region`` only views Shymkent, ``no_grants`` has an account
and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from saqshy.accounts.models import Agency, Grant, Region, Role, User
from saqshy.accounts.roles import sync_roles
from saqshy.core.testing.geography import make_region


@dataclass
class Personas:
    astana: Region
    almaty: Region
    shymkent: Region
    admin: User
    analyst_national: User
    dispatcher_astana: User
    planner_astana: User
    planner_almaty: User
    inspector_almaty: User
    viewer_other_region: User
    no_grants: User


def _agency(code: str, kind: str, region: Region | None) -> Agency:
    agency, _ = Agency.objects.get_or_create(
        code=code, defaults={"kind": kind, "region": region, "name_en": code}
    )
    return agency


def _person(username: str, role: str | None, agency: Agency | None, region: Region | None) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username)
    if role and agency:
        Grant.objects.create(
            user=user, agency=agency, role=Role.objects.get(slug=role), region=region
        )
    return user


def make_personas() -> Personas:
    sync_roles()
    astana, almaty, shymkent = make_region("astana"), make_region("almaty"), make_region("shymkent")
    police_astana = _agency("police-astana", "police", astana)
    police_almaty = _agency("police-almaty", "police", almaty)
    des_almaty = _agency("des-almaty", "emergency", almaty)
    akimat_shymkent = _agency("akimat-shymkent", "akimat", shymkent)
    commission = _agency("commission", "commission", None)
    admin = User.objects.create_superuser(username="admin", password="pw-admin")
    return Personas(
        astana=astana,
        almaty=almaty,
        shymkent=shymkent,
        admin=admin,
        analyst_national=_person("analyst_national", "commission-analyst", commission, None),
        dispatcher_astana=_person("dispatcher_astana", "dispatcher", police_astana, astana),
        planner_astana=_person("planner_astana", "planner", police_astana, astana),
        planner_almaty=_person("planner_almaty", "planner", police_almaty, almaty),
        inspector_almaty=_person("inspector_almaty", "inspector", des_almaty, almaty),
        viewer_other_region=_person("viewer_other_region", "viewer", akimat_shymkent, shymkent),
        no_grants=_person("no_grants", None, None, None),
    )

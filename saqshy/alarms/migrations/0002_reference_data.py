from typing import Any

from django.db import migrations

from saqshy.alarms.defaults import ALARM_TYPE_CODE, CATEGORIES, install


def add(apps: Any, schema_editor: Any) -> None:
    install(
        apps.get_model("alarms", "HouseholdCategory"), apps.get_model("incidents", "IncidentType")
    )


def remove(apps: Any, schema_editor: Any) -> None:
    apps.get_model("alarms", "HouseholdCategory").objects.filter(
        code__in=[row[0] for row in CATEGORIES], households=None
    ).delete()
    apps.get_model("incidents", "IncidentType").objects.filter(
        code=ALARM_TYPE_CODE, incidents=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("alarms", "0001_initial"), ("incidents", "0002_default_types")]

    operations = [migrations.RunPython(add, remove)]

from typing import Any

from django.db import migrations

from saqshy.incidents.defaults import install


def add_default_types(apps: Any, schema_editor: Any) -> None:
    install(apps.get_model("incidents", "IncidentType"))


def remove_default_types(apps: Any, schema_editor: Any) -> None:
    from saqshy.incidents.defaults import DEFAULT_TYPES

    model = apps.get_model("incidents", "IncidentType")
    model.objects.filter(code__in=[row[0] for row in DEFAULT_TYPES], incidents=None).delete()


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [migrations.RunPython(add_default_types, remove_default_types)]

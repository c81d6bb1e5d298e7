"""Install the default parameters and thresholds (``saqshy.lifelines.defaults``)."""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from saqshy.lifelines.defaults import install

    install(apps.get_model("lifelines", "Parameter"), apps.get_model("lifelines", "Threshold"))


class Migration(migrations.Migration):
    dependencies = [("lifelines", "0001_sites_alerts_outages"), ("incidents", "0002_default_types")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""Settings of the ingest benchmark's consumers: the product's, plus the invocation probe.

``benchmarks/ingest.py`` starts ``manage.py ingest_mqtt`` with
``DJANGO_SETTINGS_MODULE=benchmarks.ingest_settings`` so that every handler call is recorded
(``benchmarks/ingest_probe.py``) and double invocations can be counted after a fault.
"""

from saqshy.settings import *  # noqa: F403
from saqshy.settings import INSTALLED_APPS as PRODUCT_APPS

INSTALLED_APPS = [*PRODUCT_APPS, "benchmarks.ingest_probe.ProbeConfig"]
# Consumers run with DEBUG off (no query log) but serve no pages: no collected static files.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

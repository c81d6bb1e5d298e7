"""Apps declare themselves: a new app is its folder plus one line in INSTALLED_APPS."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches, reverse

from saqshy.core import registry

SAMPLE = "saqshy.core.tests.sample_app"


def test_every_saqshy_app_declares_itself() -> None:
    """Each installed Saqshy app runs with its own config, which is a SaqshyAppConfig (two
    AppConfig classes among an apps.py's names would silently give Django the plain one)."""
    saqshy_apps = [c for c in apps.get_app_configs() if c.name.startswith("saqshy.")]
    assert saqshy_apps
    for config in saqshy_apps:
        assert isinstance(config, registry.SaqshyAppConfig), config.name


def _reload_urls() -> None:
    import saqshy.api_urls
    import saqshy.urls

    importlib.reload(saqshy.api_urls)
    importlib.reload(saqshy.urls)
    clear_url_caches()


@pytest.fixture
def sample_installed() -> Iterator[None]:
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, SAMPLE]):
        _reload_urls()
        yield
    settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].pop("SampleKindEnum", None)
    _reload_urls()


@pytest.mark.django_db
def test_a_new_app_plugs_into_pages_api_nav_map_roles_and_schema(
    sample_installed, client, django_user_model
) -> None:
    user = django_user_model.objects.create_superuser("root", password="pw-root-123")
    client.force_login(user)

    page = client.get(reverse("sample:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="sample-home"' in html
    assert 'id="sample-banner"' in html
    assert f'href="{reverse("sample:home")}"' in html and "Sample pages" in html

    assert client.get("/api/sample/ping/").json() == {"pong": True}

    map_page = client.get(reverse("situation:map")).content.decode()
    assert "sample_app/layer.js" in map_page
    assert 'id="sample-legend"' in map_page
    assert "/api/sample/ping/" in map_page

    assert ("view", "accounts.region") in registry.role_rules("viewer")
    assert settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["SampleKindEnum"].endswith("KINDS")


@pytest.mark.django_db
def test_without_the_app_nothing_of_it_remains(client, django_user_model) -> None:
    user = django_user_model.objects.create_superuser("root", password="pw-root-123")
    client.force_login(user)
    html = client.get(reverse("situation:map")).content.decode()
    assert "sample_app/layer.js" not in html
    assert client.get("/api/sample/ping/").status_code == 404

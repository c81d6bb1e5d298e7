"""Apps declare themselves; the project collects them.

A Saqshy app's ``AppConfig`` subclasses :class:`SaqshyAppConfig` and says, as data, what it
brings: its page URLs, its API routes, its entries in the main navigation, the rules it adds to
the default roles, its layers on the situation map, its indicators for the commission, the
banners it shows on every page and the names of its enums in the OpenAPI schema.
``urls.py``, ``api_urls.py``, the navigation, the roles and the map read them from here, so a
new app is its folder plus one line in ``INSTALLED_APPS`` and none of those shared files
changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import AppConfig, apps
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from saqshy.core.indicators import Indicator

Rule = tuple[str, str]


@dataclass(frozen=True)
class NavEntry:
    """A link in the main navigation.

    ``current`` lists the URL namespaces (``request.resolver_match.app_name``) in which the
    link is marked as the current page; ``view_model`` (``app.model``) hides the link from
    users who may not view any such record.
    """

    label: str | Promise
    url_name: str
    order: int
    current: tuple[str, ...] = ()
    view_model: str | None = None


@dataclass(frozen=True)
class PageUrls:
    """A URL prefix (``"incidents/"``) and the urlconf module mounted there."""

    prefix: str
    urlconf: str


@dataclass(frozen=True)
class MapLayer:
    """What an app adds to the situation map.

    ``config`` is the dotted path of a function ``(user, region) -> dict`` whose keys are
    merged into the map's configuration (``region`` is the region the map opens on, or None);
    ``scripts`` are static files the map page loads after its own; ``legend`` is a template
    included in the map's list of layers.
    """

    config: str | None = None
    scripts: tuple[str, ...] = ()
    legend: str | None = None


@dataclass(frozen=True)
class AppDeclaration:
    """Everything one app contributes to the shared wiring (see the module docstring)."""

    pages: tuple[PageUrls, ...] = ()
    api: str | None = None
    nav: tuple[NavEntry, ...] = ()
    role_rules: dict[str, tuple[Rule, ...]] = field(default_factory=dict)
    reference_data: tuple[str, ...] = ()
    map_layers: tuple[MapLayer, ...] = ()
    banners: tuple[str, ...] = ()
    schema_enums: dict[str, str] = field(default_factory=dict)
    roles: bool = True
    # ``app.model`` names of personal data (a household's address and vulnerability): a
    # wildcard rule (``*``, ``app.*``) never grants them, only a rule naming the model.
    personal_data: tuple[str, ...] = ()
    # Dotted paths of ``(request, incident) -> str`` rendering a section of the incident page
    # (empty string for nothing); the incidents app shows them without importing the app.
    incident_panels: tuple[str, ...] = ()
    # The same for the page of a mass event (``(request, gathering) -> str``).
    event_panels: tuple[str, ...] = ()
    # Figures for the commission, per region and window (``saqshy/core/indicators.py``).
    indicators: tuple[Indicator, ...] = ()


class SaqshyAppConfig(AppConfig):
    """Base ``AppConfig`` of every Saqshy app; subclasses set ``declaration``.

    An ``apps.py`` refers to it as ``registry.SaqshyAppConfig``: a second ``AppConfig`` class
    among the module's names would stop Django from picking the app's own config.
    """

    declaration: AppDeclaration = AppDeclaration()

    def ready(self) -> None:
        super().ready()
        enums = self.declaration.schema_enums
        if enums:
            from django.conf import settings

            spectacular: dict[str, Any] = settings.SPECTACULAR_SETTINGS
            spectacular.setdefault("ENUM_NAME_OVERRIDES", {}).update(enums)


def saqshy_apps() -> Iterator[SaqshyAppConfig]:
    """The installed Saqshy apps, in ``INSTALLED_APPS`` order."""
    for config in apps.get_app_configs():
        if isinstance(config, SaqshyAppConfig):
            yield config


def page_urls() -> list[PageUrls]:
    return [page for app in saqshy_apps() for page in app.declaration.pages]


def api_modules() -> list[str]:
    """Modules with ``register(router)`` and optionally ``urlpatterns`` for the API."""
    return [app.declaration.api for app in saqshy_apps() if app.declaration.api]


def nav_entries() -> list[NavEntry]:
    entries = [entry for app in saqshy_apps() for entry in app.declaration.nav]
    return sorted(entries, key=lambda entry: entry.order)


def role_apps() -> tuple[str, ...]:
    """App labels whose models the default roles' rules range over."""
    return tuple(app.label for app in saqshy_apps() if app.declaration.roles)


def role_rules(slug: str) -> list[Rule]:
    """The rules every app adds to the default role ``slug``."""
    return [rule for app in saqshy_apps() for rule in app.declaration.role_rules.get(slug, ())]


def reference_data() -> frozenset[str]:
    """``app.model`` names of reference data: only administrators write them."""
    return frozenset(name for app in saqshy_apps() for name in app.declaration.reference_data)


def personal_data() -> frozenset[str]:
    """``app.model`` names that only a rule naming the model grants (see ``AppDeclaration``)."""
    return frozenset(name for app in saqshy_apps() for name in app.declaration.personal_data)


def incident_panels(request: Any, incident: Any) -> list[str]:
    """The HTML of every app's section for this incident's page, in app order."""
    rendered = []
    for app in saqshy_apps():
        for path in app.declaration.incident_panels:
            build: Callable[[Any, Any], str] = import_string(path)
            html = build(request, incident)
            if html:
                rendered.append(html)
    return rendered


def event_panels(request: Any, gathering: Any) -> list[str]:
    """The HTML of every app's section for this mass event's page, in app order."""
    rendered = []
    for app in saqshy_apps():
        for path in app.declaration.event_panels:
            build: Callable[[Any, Any], str] = import_string(path)
            html = build(request, gathering)
            if html:
                rendered.append(html)
    return rendered


def banners() -> list[str]:
    return [name for app in saqshy_apps() for name in app.declaration.banners]


def map_layers() -> list[MapLayer]:
    return [layer for app in saqshy_apps() for layer in app.declaration.map_layers]


def map_config(user: Any, region: Any) -> dict[str, Any]:
    """The merged configuration of every app's map layers for this user."""
    merged: dict[str, Any] = {}
    for layer in map_layers():
        if layer.config:
            build: Callable[[Any, Any], dict[str, Any]] = import_string(layer.config)
            merged.update(build(user, region))
    return merged


def map_scripts() -> list[str]:
    return [script for layer in map_layers() for script in layer.scripts]


def map_legends() -> list[str]:
    return [layer.legend for layer in map_layers() if layer.legend]

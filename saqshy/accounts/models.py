"""Geography, organisations, people and what each person is granted."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.choices import AgencyKind, RegionKind
from saqshy.core.models import BaseModel, TranslatedNameMixin
from saqshy.core.scoping import OutlinesUnreadManager, Reach, Scope

NO_SCOPE = Scope()


class Region(TranslatedNameMixin, BaseModel):
    """A first-level administrative unit (oblast or city of republican significance)."""

    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=10, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=RegionKind.choices())
    name_kk = models.CharField(_("name (Kazakh)"), max_length=150)
    name_ru = models.CharField(_("name (Russian)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    centre_lat = models.FloatField(_("centre latitude"), null=True, blank=True)
    centre_lon = models.FloatField(_("centre longitude"), null=True, blank=True)
    bbox = models.JSONField(_("bounding box"), null=True, blank=True)

    # Left unread unless asked for (``OutlinesUnreadManager``), and when a list joins its
    # region (``ScopedQuerySet.select_related``).
    outline_fields: ClassVar[tuple[str, ...]] = ("boundary",)
    objects: ClassVar[OutlinesUnreadManager[Region]] = OutlinesUnreadManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.display_name


class District(TranslatedNameMixin, BaseModel):
    """A district within a region (audany or city district)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="districts")
    slug = models.SlugField(_("slug"), max_length=60)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=150, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=150, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)

    scope_region_field: ClassVar[str | None] = None
    outline_fields: ClassVar[tuple[str, ...]] = ("boundary",)
    objects: ClassVar[OutlinesUnreadManager[District]] = OutlinesUnreadManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["region", "name_en"]
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="district_region_slug_unique")
        ]

    def __str__(self) -> str:
        return self.display_name


class Agency(TranslatedNameMixin, BaseModel):
    """A government body taking part: national (no region) or regional."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices())
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        help_text=_("Empty for a national agency."),
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["kind", "name_en"]

    def __str__(self) -> str:
        return self.display_name


class Role(TranslatedNameMixin, BaseModel):
    """A named set of permissions; the default roles are data synced by ``roles.py``."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=150, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=150, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    all_agencies = models.BooleanField(
        _("acts for all agencies"),
        default=False,
        help_text=_("Reaches records of every agency in the granted region, not only its own."),
    )
    permissions = models.ManyToManyField(Permission, blank=True, verbose_name=_("permissions"))
    home_page = models.CharField(
        _("start page"),
        max_length=100,
        blank=True,
        help_text=_(
            "Name of the page people with this role land on after signing in "
            "(e.g. prevention:queue); empty for the situation map."
        ),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.display_name


class User(AbstractUser):
    """A person who signs in; what they may do comes only from their grants."""

    language = models.CharField(
        _("interface language"), max_length=5, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def scope_for(self, perm: str) -> Scope:
        """Where this user holds ``perm`` (``app.action_model``), cached for the request."""
        if self.is_superuser and self.is_active:
            return Scope(everything=True)
        return self._scope_map().get(perm, NO_SCOPE)

    def cached_scope(self, perm: str) -> Scope | None:
        """``scope_for(perm)`` if it needs no query (superuser, or the grants already read),
        else None."""
        if self.is_superuser and self.is_active:
            return Scope(everything=True)
        known: dict[str, Scope] | None = self.__dict__.get("_scope_cache")
        if known is None:
            return None
        return known.get(perm, NO_SCOPE)

    def _scope_map(self) -> dict[str, Scope]:
        """Every permission this user holds and where, read the first time any is asked (a
        request asks about several models) and kept on this user object, that is for the
        request or the socket.

        Two small queries, the user's grants and their roles' permissions: grants plus
        permissions rows, where one join would return grants times permissions (17 regional
        grants of a role of 190 permissions: 3,200 rows, 8.5 ms against 2.2 ms measured)."""
        known: dict[str, Scope] | None = self.__dict__.get("_scope_cache")
        if known is None:
            reaches_of_role: dict[int, set[Reach]] = {}
            for role_id, region_id, agency_id, all_agencies in self.grants.values_list(
                "role_id", "region_id", "agency_id", "role__all_agencies"
            ):
                reaches_of_role.setdefault(role_id, set()).add(
                    Reach(region_id, None if all_agencies else agency_id)
                )
            found: dict[str, set[Reach]] = {}
            if reaches_of_role:
                held = Role.permissions.through.objects.filter(role_id__in=reaches_of_role)
                for role_id, app_label, codename in held.values_list(
                    "role_id", "permission__content_type__app_label", "permission__codename"
                ):
                    found.setdefault(f"{app_label}.{codename}", set()).update(
                        reaches_of_role[role_id]
                    )
            known = {perm: Scope(reaches=_ordered(reaches)) for perm, reaches in found.items()}
            self.__dict__["_scope_cache"] = known
        return known

    def has_any_grant(self) -> bool:
        return self.is_superuser or self.grants.exists()

    def forget_scopes(self) -> None:
        self.__dict__.pop("_scope_cache", None)


def _ordered(reaches: set[Reach]) -> tuple[Reach, ...]:
    return tuple(sorted(reaches, key=lambda r: (r.region_id or 0, r.agency_id or 0)))


class Grant(BaseModel):
    """(agency, region or national, role): the only source of a user's access."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="grants"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="grants"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
        help_text=_("Empty for a national grant."),
    )
    role = models.ForeignKey(
        Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="grants"
    )

    scope_region_field: ClassVar[str | None] = "region"

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "region", "role"], name="grant_unique"
            )
        ]

    def __str__(self) -> str:
        where = self.region.display_name if self.region else _("national")
        return f"{self.user} · {self.role} · {self.agency} · {where}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self.user.forget_scopes()


class Norm(BaseModel):
    """A threshold or norm as data: a national default, optionally overridden per region.

    Examples: ``inspection_validity_days`` (30), ``fire_standby_attendance`` (1000). Code reads
    them through ``accounts.queries.norm(code, region)``, never from constants.
    """

    code = models.SlugField(_("code"), max_length=60)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="norms",
        help_text=_("Empty for the national default."),
    )
    value = models.FloatField(_("value"))
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)

    scope_region_field: ClassVar[str | None] = None

    class Meta:
        verbose_name = _("norm")
        verbose_name_plural = _("norms")
        ordering = ["code", "region"]
        constraints = [
            models.UniqueConstraint(fields=["code", "region"], name="norm_code_region_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(region=None), name="norm_national_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} = {self.value:g} {self.unit}".strip()

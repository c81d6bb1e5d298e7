"""Authorisation as a queryset filter applied at the root.

A user's grants say, per permission (``facilities.view_facility`` …), where they hold it:
nationally, or in a set of regions, and for which agencies. ``ScopedQuerySet.restrict`` turns
that into one ``WHERE`` clause, so a list, a detail lookup, an export and a live-push filter all
see exactly the same rows. Objects outside the scope are simply absent (404), never an ``if``
in a handler.

Rows reached *through* a visible record (a post's shifts, a raid's visits) are cut the same
way: ``restricted(user, post.shifts)`` for one record and ``restricted_prefetch(user, "shifts",
Shift)`` for a page of them. Seeing a post does not mean seeing every agency's people on it;
``core/tests/test_related_scope.py`` fails when a view, API view or template walks a relation to
a scoped model without one of the two.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, cast

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Prefetch, Q

# The model actions every scoped model has, then the few custom ones some models declare in
# ``Meta.permissions`` (closing or cancelling an incident, taking a unit out of service).
ACTIONS = (
    "view",
    "add",
    "change",
    "delete",
    "approve",
    "close",
    "cancel",
    "withdraw",
    # The daily report's workflow (saqshy/reports): the coordinator submits, the head or the
    # commission's secretary publishes.
    "submit",
    "publish",
)


@dataclass(frozen=True)
class Reach:
    """Where one grant lets its holder act: a region (None = national) and an agency."""

    region_id: int | None
    agency_id: int | None  # None = every agency


@dataclass(frozen=True)
class Scope:
    """Everything a user may reach with one permission."""

    reaches: tuple[Reach, ...] = ()
    everything: bool = False

    @property
    def empty(self) -> bool:
        return not self.everything and not self.reaches

    @property
    def national(self) -> bool:
        return self.everything or any(r.region_id is None for r in self.reaches)

    @property
    def region_ids(self) -> frozenset[int]:
        return frozenset(r.region_id for r in self.reaches if r.region_id is not None)

    def covers(self, region_id: int | None, agency_id: int | None = None) -> bool:
        """Whether an object in ``region_id`` (owned by ``agency_id``) lies in this scope."""
        if self.everything:
            return True
        for reach in self.reaches:
            region_ok = reach.region_id is None or reach.region_id == region_id
            agency_ok = reach.agency_id is None or agency_id is None or reach.agency_id == agency_id
            if region_ok and agency_ok:
                return True
        return False


@dataclass
class ScopeCache:
    scopes: dict[str, Scope] = field(default_factory=dict)


class ScopedUser(Protocol):
    """What restrict() needs of a user; ``accounts.User`` provides it."""

    is_authenticated: bool
    is_active: bool

    def scope_for(self, perm: str) -> Scope: ...


def perm_name(model: type[models.Model], action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; expected one of {ACTIONS}")
    meta = model._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


def user_scope(user: Any, model: type[models.Model], action: str) -> Scope:
    """The scope in which ``user`` may perform ``action`` on ``model``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Scope()
    if not getattr(user, "is_active", False):
        return Scope()
    scope_for = getattr(user, "scope_for", None)
    if scope_for is None:
        return Scope()
    scope: Scope = scope_for(perm_name(model, action))
    return scope


def user_scopes(
    user: Any, model_list: list[type[models.Model]], action: str
) -> dict[type[models.Model], Scope]:
    """``user_scope`` for many models (``accounts.User`` reads all its grants at the first)."""
    return {model: user_scope(user, model, action) for model in model_list}


_QS = TypeVar("_QS", bound="ScopedQuerySet[Any]")
_M = TypeVar("_M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[_M]):
    """A queryset that knows how to cut itself down to a user's grants.

    Models declare ``scope_region_field`` (a lookup path to the region foreign key, or ``None``
    for reference data that every signed-in user may read) and optionally
    ``scope_agency_field`` for records owned by an agency.
    """

    def restrict(self: _QS, user: Any, action: str = "view") -> _QS:
        """Only the rows ``user`` (a ``ScopedUser``, anonymous or None) may ``action``."""
        scope = user_scope(user, self.model, action)
        if scope.everything:
            return self
        if scope.empty:
            return self.none()
        region_field: str | None = getattr(self.model, "scope_region_field", None)
        agency_field: str | None = getattr(self.model, "scope_agency_field", None)
        if region_field is None and agency_field is None:
            return self
        condition = Q(pk__in=[])
        for reach in scope.reaches:
            term = Q()
            if region_field is not None and reach.region_id is not None:
                term &= Q(**{f"{region_field}_id": reach.region_id})
            if agency_field is not None and reach.agency_id is not None:
                term &= Q(**{f"{agency_field}_id": reach.agency_id})
            if not term:
                return self
            condition |= term
        return self.filter(condition)

    def select_related(self: _QS, *fields: Any) -> _QS:
        """``QuerySet.select_related``, leaving the joined rows' ``outline_fields`` unread
        (a region's or a district's boundary, a venue's footprint): a list shows a joined
        region by its name, and decoding its outline once per listed row was most of the time
        of a national page (1.2 s of the 1.5 s of the unit board). Code that reads an outline
        through the join still gets it, in one query more."""
        joined = super().select_related(*fields)
        unread = outlines_joined(self.model, [f for f in fields if isinstance(f, str)])
        return joined.defer(*unread) if unread else joined


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


class OutlinedQuerySet(ScopedQuerySet[_M]):
    """Rows of a model with large ``outline_fields`` (a region's boundary)."""

    def with_outlines(self) -> OutlinedQuerySet[_M]:
        """Read the outlines too, for code that draws or tests many of them."""
        return self.defer(None)


_OutlinedManager = models.Manager.from_queryset(OutlinedQuerySet)


class OutlinesUnreadManager(_OutlinedManager[_M]):
    """The default manager of a model with ``outline_fields``: its rows are listed by name far
    more often than drawn, so the outlines are left unread unless ``with_outlines()`` asks
    for them (an instance reads its own on demand, in one query)."""

    def get_queryset(self) -> OutlinedQuerySet[_M]:
        rows = super().get_queryset().defer(*getattr(self.model, "outline_fields", ()))
        return cast("OutlinedQuerySet[_M]", rows)


def outlines_joined(model: type[models.Model], paths: list[str]) -> list[str]:
    """The ``outline_fields`` of every model joined along ``paths`` (``venue__region``), as
    paths for ``defer``: large geometry that a list never shows through a join."""
    found: list[str] = []
    for path in paths:
        current: Any = model
        prefix = ""
        for name in path.split("__"):
            try:
                current = current._meta.get_field(name).related_model
            except FieldDoesNotExist:  # select_related itself says what is wrong
                break
            if current is None:
                break
            prefix = f"{prefix}{name}__"
            found += [
                f"{prefix}{outline}"
                for outline in getattr(current, "outline_fields", ())
                if f"{prefix}{outline}" not in found
            ]
    return found


def restricted(user: Any, rows: Any, action: str = "view") -> Any:
    """The rows of a related manager (``post.shifts``) or queryset that ``user`` may ``action``.

    The one way product code walks a relation to a scoped model: the parent being visible says
    nothing about the agency that owns each child.
    """
    queryset = rows.all()
    restrict = getattr(queryset, "restrict", None)
    if restrict is None:
        raise TypeError(f"{queryset.model.__name__} is not a scoped model; walk it directly")
    return restrict(user, action)


def restricted_prefetch(
    user: Any, lookup: str, queryset: Any, action: str = "view", to_attr: str | None = None
) -> Prefetch:
    """A ``Prefetch`` of ``lookup`` whose rows (``queryset``, e.g. ``Shift.objects.all()``
    refined with ``select_related`` or an ordering) are cut to what ``user`` may ``action``.

    Still one query per page of parents; templates read the rows from ``to_attr``.
    """
    return Prefetch(lookup, queryset=restricted(user, queryset, action), to_attr=to_attr)

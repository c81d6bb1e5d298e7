"""Shared model infrastructure and the append-only audit trail."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from saqshy.core.audit_models import AuditChainHead, AuditEntry
from saqshy.core.context import marked_exercise
from saqshy.core.idempotency_models import IdempotencyRecord
from saqshy.core.scoping import ScopedQuerySet

__all__ = [
    "AuditChainHead",
    "AuditEntry",
    "BaseModel",
    "ExerciseModel",
    "ExerciseQuerySet",
    "IdempotencyRecord",
    "TranslatedNameMixin",
]


class TranslatedNameMixin:
    """Picks ``name_<language>`` for the active language, falling back to the other names."""

    name_kk: str
    name_ru: str
    name_en: str

    @property
    def display_name(self) -> str:
        language = (get_language() or "en")[:2]
        own = getattr(self, f"name_{language}", "")
        local = getattr(self, "name", "")
        return str(own or local or self.name_en or self.name_ru or self.name_kk)


class BaseModel(models.Model):
    """Every domain record: timestamps and a queryset that can ``restrict(user, action)``."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects: ClassVar[Any] = ScopedQuerySet.as_manager()

    scope_region_field: ClassVar[str | None] = None
    scope_agency_field: ClassVar[str | None] = None

    class Meta:
        abstract = True

    def _scope_id(self, path: str | None) -> int | None:
        """The id at the end of ``path`` (``"region"``, ``"incident__region"``), or None."""
        if path is None:
            return None
        value: Any = self
        *hops, last = path.split("__")
        for part in hops:
            value = getattr(value, part)
            if value is None:
                return None
        found: int | None = getattr(value, f"{last}_id")
        return found

    def scope_region_id(self) -> int | None:
        """The region this record belongs to, for audit, scoping and live push."""
        return self._scope_id(self.scope_region_field)

    def scope_agency_id(self) -> int | None:
        """The agency that owns this record, where access also depends on the agency."""
        return self._scope_id(self.scope_agency_field)


_EM = TypeVar("_EM", bound=models.Model)


class ExerciseQuerySet(ScopedQuerySet[_EM]):
    """Rows of a model that may be exercise records: ``real()`` is what every indicator,
    public page and feed reads; ``exercises()`` what ``wipe_exercise`` removes."""

    def real(self) -> ExerciseQuerySet[_EM]:
        return self.filter(is_exercise=False)

    def exercises(self) -> ExerciseQuerySet[_EM]:
        return self.filter(is_exercise=True)


class ExerciseModel(BaseModel):
    """A record that an exercise may create (incidents, alarms, alerts, daily reports).

    ``is_exercise`` is set once, when the record is created: by the creating request or
    command (``saqshy.core.context.exercise``) or inherited from the record it came from (an
    alarm's incident). Exercise records are shown with a badge, never counted in indicators,
    never published, and removed by ``manage.py wipe_exercise`` (docs/exercise.md).
    """

    is_exercise = models.BooleanField(
        _("exercise"),
        default=False,
        editable=False,
        help_text=_("Created by an exercise: never counted in indicators nor published."),
    )

    objects: ClassVar[Any] = ExerciseQuerySet.as_manager()

    # The order in which wipe_exercise deletes exercise records (dependants first).
    exercise_wipe_order: ClassVar[int] = 100

    class Meta:
        abstract = True

    @classmethod
    def exercise_busy(cls, rows: Any) -> list[int]:
        """Of ``rows`` about to be wiped, those that may not go yet (their ids)."""
        return []

    def mark_exercise(self, explicit: bool | None = None) -> None:
        """Set ``is_exercise`` of a record not yet saved (see ``context.marked_exercise``)."""
        if self.pk is None:
            self.is_exercise = marked_exercise(explicit or self.is_exercise)


def latitude_field(verbose: Any = None, **kwargs: Any) -> models.FloatField[Any, Any]:
    """A latitude column in degrees, refused outside −90…90."""
    return models.FloatField(
        verbose or _("latitude"),
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        **kwargs,
    )


def longitude_field(verbose: Any = None, **kwargs: Any) -> models.FloatField[Any, Any]:
    """A longitude column in degrees, refused outside −180…180."""
    return models.FloatField(
        verbose or _("longitude"),
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        **kwargs,
    )

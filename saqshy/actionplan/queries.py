"""Progress of the plan's measures, computed from the records through the indicators.

A measure's figure is its indicator evaluated over ``[period start, min(today, deadline)]``
in whole local days (``core.indicators.local_day``), for the regions whose records the
reader may see (``visible_region_ids``). Nationally it is compared with the national target
(only when the reader sees every region: a partial sum is not set against a national
target), in a region with that region's target. An indicator no installed app declares
reads as "not available", never as an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from saqshy.accounts.models import Region
from saqshy.actionplan.choices import Assessment as AssessmentChoice
from saqshy.actionplan.models import Measure, MeasureTarget
from saqshy.algorithms import plan_progress
from saqshy.core.indicators import (
    Figure,
    Indicator,
    add,
    local_day,
    registry_indicators,
    visible_region_ids,
)
from saqshy.core.scoping import restricted_prefetch

NO_INDICATOR = "none"
NOT_AVAILABLE = "not_available"
HIDDEN = "hidden"
MEASURED = "measured"


@dataclass(frozen=True)
class Progress:
    """A measure's standing for one reader, nationally or in one region."""

    kind: str  # MEASURED, NO_INDICATOR, NOT_AVAILABLE or HIDDEN
    assessment: plan_progress.Assessment
    figure: Figure | None = None
    target: float | None = None
    indicator: Indicator | None = None
    partial: bool = False

    @property
    def state(self) -> str:
        return self.assessment.state

    @property
    def state_label(self) -> str:
        return str(AssessmentChoice.label(self.state))

    @property
    def state_colour(self) -> str:
        return AssessmentChoice.colour(self.state)

    @property
    def completion(self) -> float | None:
        return self.assessment.completion

    @property
    def bar(self) -> int:
        """The progress bar's value, 0–100."""
        return round(min(max(self.completion or 0, 0), 100))

    @property
    def text(self) -> str:
        """ "6 812 of 7 000, 97 %" — or why there is no figure."""
        if self.kind == NO_INDICATOR:
            return _("No figure is computed for this measure: status and evidence only.")
        if self.kind == NOT_AVAILABLE:
            return _("Indicator not available.")
        if self.kind == HIDDEN or self.figure is None:
            return _("Not in your regions.")
        figure = self.figure
        if figure.base is None:
            if self.target is None:
                return _number(figure.value)
            return _("%(value)s of %(target)s, %(percent)s %%") % {
                "value": _number(figure.value),
                "target": _number(self.target),
                "percent": _number(self.completion or 0),
            }
        share = _("%(value)s of %(base)s, %(percent)s %%") % {
            "value": _number(figure.value),
            "base": _number(figure.base),
            "percent": _number(figure.percent or 0),
        }
        if self.target is None:
            return share
        return _("%(share)s; target %(target)s %%") % {
            "share": share,
            "target": _number(self.target),
        }


def _number(value: float) -> str:
    """A whole number with thousands grouped: "6,812" in English, "6 812" in kk and ru."""
    grouped = f"{round(value):,}"
    return grouped if (get_language() or "en").startswith("en") else grouped.replace(",", "\u00a0")


def today() -> dt.date:
    return timezone.localdate()


def indicators_by_code() -> dict[str, Indicator]:
    return {ind.code: ind for ind in registry_indicators()}


def window(measure: Measure, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    """``[start of the period's first day, end of min(day, deadline)]``; None before it starts."""
    last = min(day, measure.deadline)
    if last < measure.starts_on:
        return None
    return local_day(measure.starts_on)[0], local_day(last)[1]


class Evaluator:
    """Evaluates indicators for one reader, each (indicator, window, regions) once."""

    def __init__(self, user: Any, day: dt.date | None = None) -> None:
        self.user = user
        self.day = day or today()
        self.indicators = indicators_by_code()
        self.region_ids = list(Region.objects.order_by("name_en").values_list("pk", flat=True))
        self._cache: dict[tuple[Any, ...], dict[int, Figure]] = {}

    def _assess(
        self, measure: Measure, reached: float | None, *, has_figure: bool = False
    ) -> plan_progress.Assessment:
        return plan_progress.assess(
            status=measure.status,
            start=measure.starts_on,
            deadline=measure.deadline,
            today=self.day,
            reached=reached,
            has_figure=has_figure,
        )

    def _figures(self, ind: Indicator, measure: Measure, ids: Sequence[int]) -> dict[int, Figure]:
        span = window(measure, self.day)
        if span is None or not ids:
            empty = Figure(0, 0 if ind.unit == "share" else None)
            return dict.fromkeys(ids, empty)
        key = (ind.code, span, tuple(ids))
        if key not in self._cache:
            self._cache[key] = ind.evaluate(ids, *span)
        return self._cache[key]

    def _without_figure(self, measure: Measure) -> Progress | None:
        if not measure.indicator_code:
            return Progress(NO_INDICATOR, self._assess(measure, None))
        if measure.indicator_code not in self.indicators:
            return Progress(NOT_AVAILABLE, self._assess(measure, None))
        return None

    def measured(
        self, measure: Measure, figure: Figure, target: float | None, *, partial: bool = False
    ) -> Progress:
        ind = self.indicators[measure.indicator_code]
        reached = plan_progress.completion(figure.value, figure.base, target)
        return Progress(
            MEASURED,
            self._assess(measure, reached, has_figure=True),
            figure,
            target,
            ind,
            partial=partial,
        )

    def national(self, measure: Measure) -> Progress:
        """Over every region the reader may see; the national target only if that is all."""
        refused = self._without_figure(measure)
        if refused is not None:
            return refused
        ind = self.indicators[measure.indicator_code]
        ids = visible_region_ids(self.user, ind, self.region_ids)
        if not ids:
            return Progress(HIDDEN, self._assess(measure, None), indicator=ind)
        partial = len(ids) < len(self.region_ids)
        figure = add(self._figures(ind, measure, ids).values(), ind.unit)
        target = None if partial else measure.national_target
        return self.measured(measure, figure, target, partial=partial)

    def per_region(
        self, measure: Measure, regions: Iterable[Region]
    ) -> list[tuple[Region, Progress]]:
        """Each of ``regions`` the reader may see, with that region's target (if any)."""
        regions = list(regions)
        refused = self._without_figure(measure)
        if refused is not None:
            return [(region, refused) for region in regions]
        ind = self.indicators[measure.indicator_code]
        ids = set(visible_region_ids(self.user, ind, [r.pk for r in regions]))
        shown = [region for region in regions if region.pk in ids]
        figures = self._figures(ind, measure, [r.pk for r in shown])
        targets = {t.region_id: t.target for t in measure.targets.all()}
        return [
            (region, self.measured(measure, figures[region.pk], targets.get(region.pk)))
            for region in shown
        ]

    def in_region(self, measure: Measure, region: Region) -> Progress:
        found = self.per_region(measure, [region])
        if found:
            return found[0][1]
        return Progress(HIDDEN, self._assess(measure, None))


def measures_for(user: Any) -> Any:
    """The measures ``user`` may read, with their owners, co-executors and targets."""
    return (
        Measure.objects.restrict(user, "view")
        .select_related("owner")
        .prefetch_related(
            "co_executors",
            restricted_prefetch(user, "targets", MeasureTarget.objects.order_by("pk")),
        )
    )


def owners(measures: Iterable[Measure]) -> list[Any]:
    """The distinct owning agencies of ``measures``, by name."""
    found = {m.owner_id: m.owner for m in measures}
    return sorted(found.values(), key=lambda agency: agency.display_name)


@dataclass(frozen=True)
class Row:
    measure: Measure
    progress: Progress
    overdue: bool


OVERDUE_FILTER = "overdue"


def plan_rows(
    user: Any,
    *,
    owner: int | None = None,
    status: str = "",
    region: Region | None = None,
    overdue_only: bool = False,
    day: dt.date | None = None,
) -> list[Row]:
    """The plan as the commission reads it: overdue measures first, then in plan order;
    progress nationally, or in ``region`` with that region's target."""
    measures = measures_for(user)
    if owner:
        measures = measures.filter(owner_id=owner)
    if status and status != OVERDUE_FILTER:
        measures = measures.filter(status=status)
    evaluator = Evaluator(user, day)
    rows = []
    for measure in measures:
        overdue = measure.is_overdue(evaluator.day)
        if (overdue_only or status == OVERDUE_FILTER) and not overdue:
            continue
        progress = evaluator.in_region(measure, region) if region else evaluator.national(measure)
        rows.append(Row(measure, progress, overdue))
    rows.sort(key=lambda row: (not row.overdue, row.measure.position, row.measure.code))
    return rows


def history(user: Any, measure: Measure, limit: int = 20) -> list[dict[str, Any]]:
    """The latest audit entries of ``measure`` that ``user`` may read, with the names of the
    fields each changed (the reader's words, not the column names)."""
    from saqshy.core.audit_models import AuditEntry

    entries = AuditEntry.objects.restrict(user, "view").filter(
        object_type="actionplan.measure", object_id=str(measure.pk)
    )
    names = {f.attname: str(f.verbose_name) for f in Measure._meta.concrete_fields}
    names["co_executors"] = str(Measure._meta.get_field("co_executors").verbose_name)
    return [
        {
            "at": entry.at,
            "actor": entry.actor_repr,
            "action": entry.get_action_display(),
            "fields": [names[key] for key in (entry.after or {}) if key in names]
            if entry.action == "update"
            else [],
        }
        for entry in entries.order_by("-at", "-seq")[:limit]
    ]

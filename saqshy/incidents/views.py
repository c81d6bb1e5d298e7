"""Duty desk pages: the incident queue, an incident, the intake form, the unit board and the
response-time indicators. Every change goes through ``services``; every read through
``restrict()``, so another region's incident or unit is a 404."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError as QueryError

from saqshy.accounts.queries import regions_in_scope
from saqshy.accounts.regions import list_context, list_params
from saqshy.core import exports, registry
from saqshy.core.exports import Column
from saqshy.core.forms import call_showing_errors
from saqshy.core.scoping import restricted, restricted_prefetch, user_scope
from saqshy.core.views import run_service
from saqshy.incidents import indicators, queries, services
from saqshy.incidents.api.views import read_indicator_query
from saqshy.incidents.choices import IncidentStatus, Priority, UnitKind, UnitStatus
from saqshy.incidents.forms import IncidentForm, NoteForm
from saqshy.incidents.map import agency_bound
from saqshy.incidents.models import Incident, IncidentType, IncidentUnit, Unit

_ACTIVE = Q(released_at__isnull=True)


def _incidents(request: HttpRequest) -> QuerySet[Incident]:
    visible: QuerySet[Incident] = Incident.objects.restrict(request.user, "view")
    return visible.select_related("type", "region", "agency")


def _may(request: HttpRequest, model: type[Any], action: str, region_id: int | None) -> bool:
    return user_scope(request.user, model, action).covers(region_id)


def _chosen(params: Any, name: str) -> str:
    return (params.get(name) or "").strip()


def _call_signs(incident: Incident) -> str:
    assignments = incident.active_assignments  # type: ignore[attr-defined]
    return ", ".join(a.unit.call_sign for a in assignments)


INCIDENT_COLUMNS = [
    Column("#", lambda i: i.pk),
    Column(gettext_lazy("Priority"), lambda i: i.get_priority_display()),
    Column(gettext_lazy("Type"), lambda i: i.type.display_name),
    Column(gettext_lazy("Address"), lambda i: i.address),
    Column(gettext_lazy("Region"), lambda i: i.region.display_name),
    Column(gettext_lazy("Agency"), lambda i: i.agency.display_name if i.agency else ""),
    Column(gettext_lazy("Reported"), lambda i: i.reported_at),
    Column(gettext_lazy("Status"), lambda i: i.get_status_display()),
    Column(pgettext_lazy("emergency unit", "Units"), _call_signs),
]
UNIT_COLUMNS = [
    Column("#", lambda row: row[0].pk),
    Column(gettext_lazy("Call sign"), lambda row: row[0].call_sign),
    Column(gettext_lazy("Kind"), lambda row: row[0].get_kind_display()),
    Column(gettext_lazy("Status"), lambda row: row[0].get_status_display()),
    Column(gettext_lazy("Agency"), lambda row: row[0].agency.display_name),
    Column(gettext_lazy("Region"), lambda row: row[0].region.display_name),
    Column(gettext_lazy("Incident"), lambda row: row[1]),
]


# --- the queue --------------------------------------------------------------------------------


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    """Open incidents, most urgent and longest waiting first (or all, newest first)."""
    params = list_params(request, Incident)
    show = "all" if params.get("show") == "all" else "open"
    filters = {name: _chosen(params, name) for name in ("type", "priority", "region", "agency")}
    incidents = _incidents(request)
    if filters["agency"] == "mine":
        # The calls the user's agencies took, and the region's own (recorded by the system).
        incidents = incidents.filter(
            Q(agency_id__in=_my_agencies(request.user)) | Q(agency__isnull=True)
        )
    if filters["type"]:
        incidents = incidents.filter(type__code=filters["type"])
    if filters["priority"] in Priority.values():
        incidents = incidents.filter(priority=int(filters["priority"]))
    if filters["region"]:
        incidents = incidents.filter(region__slug=filters["region"])
    by_status: Counter[str] = Counter(
        dict(
            incidents.order_by().values("status").annotate(n=Count("id")).values_list("status", "n")
        )
    )
    open_count = sum(by_status[s] for s in IncidentStatus.OPEN)
    if show == "open":
        incidents = incidents.filter(status__in=IncidentStatus.OPEN).order_by(
            "priority", "reported_at", "id"
        )
    else:
        incidents = incidents.order_by("-reported_at", "-id")
    incidents = incidents.annotate(
        open_duplicates=Count("duplicates", filter=Q(duplicates__merged_at__isnull=True))
    ).prefetch_related(
        restricted_prefetch(
            request.user,
            "assignments",
            IncidentUnit.objects.filter(_ACTIVE).select_related("unit"),
            to_attr="active_assignments",
        )
    )
    if exports.requested(params):
        return exports.export(
            request, incidents, INCIDENT_COLUMNS, model=Incident, stem="incidents", params=params
        )
    page = Paginator(incidents, 50).get_page(params.get("page"))
    return render(
        request,
        "incidents/list.html",
        {
            **list_context(request, Incident, params),
            "page": page,
            "show": show,
            "filters": filters,
            "open_count": open_count,
            "total_count": sum(by_status.values()),
            "status_counts": [
                (value, label, IncidentStatus.colour(value), by_status[value])
                for value, label in IncidentStatus.choices()
                if by_status[value]
            ],
            "types": IncidentType.objects.all(),
            "priorities": Priority.choices(),
            "can_add": not user_scope(request.user, Incident, "add").empty,
        },
    )


# --- one incident -----------------------------------------------------------------------------


# What the button says for each next status (the status names describe a state, not an act).
STEP_LABELS = {
    IncidentStatus.EN_ROUTE: gettext_lazy("Units en route"),
    IncidentStatus.ON_SCENE: gettext_lazy("Units on scene"),
    IncidentStatus.CLOSED: gettext_lazy("Close"),
    IncidentStatus.CANCELLED: gettext_lazy("Cancel"),
}


def _next_steps(
    request: HttpRequest, incident: Incident, has_units: bool
) -> list[tuple[str, Any, bool]]:
    """(status, label, needs a reason field) for the buttons the state machine allows now.

    ``dispatched`` is reached by sending units, so it has no button of its own; en route and
    on scene need a unit on the incident; closing and cancelling are offered only to whom the
    role lets end this call (``services.may_end``).
    """
    steps = []
    ending = {IncidentStatus.CLOSED: "close", IncidentStatus.CANCELLED: "cancel"}
    for status in IncidentStatus.targets(incident.status):
        if status == IncidentStatus.DISPATCHED:
            continue
        if status in ending and not services.may_end(request.user, incident, ending[status]):
            continue
        if status in (IncidentStatus.EN_ROUTE, IncidentStatus.ON_SCENE) and not has_units:
            continue
        label = STEP_LABELS.get(status, IncidentStatus.label(status))
        steps.append((status, label, status in IncidentStatus.FINAL))
    return steps


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(_incidents(request), pk=pk)
    can_change = _may(request, Incident, "change", incident.region_id)
    assignments = list(
        restricted(request.user, incident.assignments)
        .select_related("unit", "unit__agency")
        .order_by("assigned_at", "id")
    )
    has_units = any(a.released_at is None for a in assignments)
    visible = _incidents(request)
    original = (
        visible.filter(pk=incident.duplicate_of_id).first() if incident.duplicate_of_id else None
    )
    return render(
        request,
        "incidents/detail.html",
        {
            "incident": incident,
            "status_label": IncidentStatus.label(incident.status),
            "status_colour": IncidentStatus.colour(incident.status),
            "can_change": can_change,
            "steps": _next_steps(request, incident, has_units) if can_change else [],
            "assignments": assignments,
            "journal": restricted(request.user, incident.journal)
            .select_related("author")
            .order_by("at", "id"),
            "note_form": NoteForm(),
            "original": original,
            "probable_duplicates": visible.filter(
                duplicate_of=incident, merged_at__isnull=True
            ).order_by("reported_at"),
            "merged": visible.filter(duplicate_of=incident, merged_at__isnull=False).order_by(
                "merged_at"
            ),
            **recommendation_context(request, incident),
            "needs": [
                (UnitKind.label(kind), count) for kind, count in (incident.type.needs or {}).items()
            ],
            # Sections other apps add (a home alarm's household for the fire dispatcher).
            "panels": registry.incident_panels(request, incident),
        },
    )


def _advance(request: HttpRequest, incident: Incident) -> Any:
    target = request.POST.get("status", "")
    reason = request.POST.get("reason", "")
    return run_service(
        request,
        lambda: services.advance(
            acting_user=request.user, incident=incident, to_status=target, reason=reason
        ),
        _("Status: %(status)s.") % {"status": IncidentStatus.label(target)},
    )


def _note(request: HttpRequest, incident: Incident) -> Any:
    return run_service(
        request,
        lambda: services.add_note(
            acting_user=request.user, incident=incident, text=request.POST.get("text", "")
        ),
        _("Note added."),
    )


def _dispatch(request: HttpRequest, incident: Incident) -> Any:
    wanted = {int(v) for v in request.POST.getlist("units") if v.isdigit()}
    units: list[Unit] = list(Unit.objects.restrict(request.user, "change").filter(pk__in=wanted))
    if not units or len(units) != len(wanted):
        messages.error(request, _("Choose at least one unit you may send."))
        return None
    return run_service(
        request,
        lambda: services.dispatch(acting_user=request.user, incident=incident, units=units),
        _("Units dispatched: %(units)s.") % {"units": ", ".join(u.call_sign for u in units)},
    )


def _merge(request: HttpRequest, incident: Incident) -> Any:
    return run_service(
        request,
        lambda: services.merge_duplicate(acting_user=request.user, incident=incident),
        _("Incident #%(id)s merged into incident #%(original)s.")
        % {"id": incident.pk, "original": incident.duplicate_of_id},
    )


def _keep(request: HttpRequest, incident: Incident) -> Any:
    return run_service(
        request,
        lambda: services.keep_separate(acting_user=request.user, incident=incident),
        _("Incident #%(id)s kept as a separate incident.") % {"id": incident.pk},
    )


INCIDENT_ACTIONS: dict[str, Callable[[HttpRequest, Incident], Any]] = {
    "advance": _advance,
    "note": _note,
    "dispatch": _dispatch,
    "merge": _merge,
    "keep": _keep,
}


@login_required
@require_POST
def incident_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    incident = get_object_or_404(_incidents(request), pk=pk)
    handler = INCIDENT_ACTIONS.get(action)
    if handler is None:
        raise PermissionDenied(_("Unknown action."))
    if not _may(request, Incident, "change", incident.region_id):
        raise PermissionDenied(_("You may view this incident but not act on it."))
    handler(request, incident)
    # Merge and keep are pressed on the original's page too: go back where the button was.
    back = request.POST.get("back", "")
    if back.isdigit() and _incidents(request).filter(pk=int(back)).exists():
        return redirect("incidents:detail", pk=int(back))
    return redirect("incidents:detail", pk=incident.pk)


# --- intake -----------------------------------------------------------------------------------


@login_required
def incident_create(request: HttpRequest) -> HttpResponse:
    if user_scope(request.user, Incident, "add").empty:
        raise PermissionDenied(_("Your role does not let you record incidents."))
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        incident = call_showing_errors(
            form,
            lambda: services.report_incident(acting_user=request.user, **form.service_arguments()),
        )
        if incident is not None:
            if incident.duplicate_of_id:
                messages.warning(
                    request,
                    _("Recorded as incident #%(id)s: possibly a duplicate of incident #%(other)s.")
                    % {"id": incident.pk, "other": incident.duplicate_of_id},
                )
            else:
                messages.success(request, _("Recorded as incident #%(id)s.") % {"id": incident.pk})
            return redirect("incidents:detail", pk=incident.pk)
    centre = (
        regions_in_scope(request.user, Incident, "add")
        .exclude(centre_lat=None)
        .values_list("centre_lat", "centre_lon")
        .first()
    )
    return render(
        request,
        "incidents/new.html",
        {
            "form": form,
            "picker": {
                "tiles": reverse("situation:tile", args=[1, 2, 3]).replace("1/2/3", "{z}/{x}/{y}"),
                "centre": centre,
            },
        },
    )


# --- units ------------------------------------------------------------------------------------


# Units at work first (the order a call goes through), then the ones free to send, then the rest.
BOARD_ORDER = [
    UnitStatus.ON_SCENE,
    UnitStatus.EN_ROUTE,
    UnitStatus.DISPATCHED,
    UnitStatus.RETURNING,
    UnitStatus.AVAILABLE,
    UnitStatus.OUT_OF_SERVICE,
]


BOARD_GROUP_LIMIT = 40
"""Units shown per (status, kind) on the board; the rest are counted ("and 12 more")."""


def _on_incident(units: QuerySet[Unit]) -> dict[int, int]:
    return dict(
        IncidentUnit.objects.filter(_ACTIVE, unit__in=units).values_list("unit_id", "incident_id")
    )


@login_required
def unit_board(request: HttpRequest) -> HttpResponse:
    """Every unit in scope grouped by status, then kind, with its incident and last fix."""
    params = list_params(request, Unit)
    region = _chosen(params, "region")
    units: QuerySet[Unit] = Unit.objects.restrict(request.user, "view").select_related(
        "agency", "region"
    )
    if region:
        units = units.filter(region__slug=region)
    units = units.order_by("kind", "call_sign", "id")
    if exports.requested(params):
        on_incident = _on_incident(units)
        rows = [(unit, on_incident.get(unit.pk)) for unit in units[: exports.MAX_ROWS + 1]]
        return exports.export(request, rows, UNIT_COLUMNS, model=Unit, stem="units", params=params)
    # At national size a board of every unit is megabytes refreshed every 20 s: each group
    # (status, kind) shows its first BOARD_GROUP_LIMIT units and counts the rest.
    counts = {
        (row["status"], row["kind"]): row["n"]
        for row in units.order_by().values("status", "kind").annotate(n=Count("id"))
    }
    shown = list(
        units.annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("status"), F("kind")],
                order_by=[F("call_sign").asc(), F("id").asc()],
            )
        ).filter(place__lte=BOARD_GROUP_LIMIT)
    )
    on_incident = _on_incident(Unit.objects.filter(pk__in=[unit.pk for unit in shown]))
    change = user_scope(request.user, Unit, "change")
    withdraw = user_scope(request.user, Unit, "withdraw")
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for unit in shown:
        may = {
            UnitStatus.AVAILABLE: change.covers(unit.region_id, unit.agency_id),
            UnitStatus.OUT_OF_SERVICE: withdraw.covers(unit.region_id, unit.agency_id),
        }
        grouped[unit.status][unit.kind].append(
            {
                "unit": unit,
                "incident": on_incident.get(unit.pk),
                "set_to": [
                    (status, UnitStatus.label(status))
                    for status in (UnitStatus.AVAILABLE, UnitStatus.OUT_OF_SERVICE)
                    if may[status] and unit.status in UnitStatus.MANUAL and unit.status != status
                ],
            }
        )
    board = [
        {
            "status": status,
            "label": label,
            "colour": UnitStatus.colour(status),
            "count": sum(n for (s, _kind), n in counts.items() if s == status),
            "kinds": [
                (
                    UnitKind.label(kind),
                    grouped[status][kind],
                    counts.get((status, kind), 0) - len(grouped[status][kind]),
                )
                for kind in UnitKind.values()
                if counts.get((status, kind))
            ],
        }
        for status, label in sorted(UnitStatus.choices(), key=lambda c: BOARD_ORDER.index(c[0]))
    ]
    return render(
        request,
        "incidents/units.html",
        {
            **list_context(request, Unit, params),
            "board": board,
            "region": region,
            "total": sum(column["count"] for column in board),
        },
    )


@login_required
@require_POST
def unit_status(request: HttpRequest, pk: int) -> HttpResponse:
    unit: Unit = get_object_or_404(Unit.objects.restrict(request.user, "view"), pk=pk)
    if not user_scope(request.user, Unit, "change").covers(unit.region_id, unit.agency_id):
        raise PermissionDenied(_("You may view this unit but not change it."))
    target = request.POST.get("status", "")
    if target not in UnitStatus.MANUAL:
        messages.error(request, _("Only dispatching sends a unit."))
    else:
        run_service(
            request,
            lambda: services.update_unit(
                acting_user=request.user,
                unit=unit,
                status=target,
                status_reason=request.POST.get("reason", ""),
            ),
            _("Unit %(unit)s: %(status)s.")
            % {"unit": unit.call_sign, "status": UnitStatus.label(target)},
        )
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/units/") else "units:board")


# --- indicators -------------------------------------------------------------------------------

GROUP_TITLES = dict(indicators.GROUPINGS)
KEY_TITLES = {
    "by_type": gettext_lazy("Incident type"),
    "by_agency": gettext_lazy("Agency"),
    "by_region": gettext_lazy("Region"),
    "by_hour": gettext_lazy("Hour"),
}


@login_required
def response_indicators(request: HttpRequest) -> HttpResponse:
    figures: dict[str, Any] | None = None
    try:
        query = read_indicator_query(request.user, request.GET)
    except QueryError as error:
        detail: Any = error.detail
        for field, problems in detail.items() if isinstance(detail, dict) else []:
            for problem in problems:
                messages.error(request, f"{field}: {problem}")
        query = None
    if query is not None:
        figures = indicators.response_indicators(request.user, **query)
    measures = []
    chart: dict[str, Any] = {"hours": [f"{h:02d}" for h in range(24)], "series": []}
    for measure in (figures or {}).get("measures", []):
        measures.append(
            {
                **measure,
                "groups": [
                    (GROUP_TITLES[g], KEY_TITLES[g], measure[g]) for g, _t in indicators.GROUPINGS
                ],
            }
        )
        chart["series"].append(
            {
                "label": measure["label"],
                "median": [row["median_seconds"] for row in measure["by_hour"]],
            }
        )
    return render(
        request,
        "incidents/indicators.html",
        {
            "figures": figures,
            "measures": measures,
            "chart": chart,
            "regions": regions_in_scope(request.user, Incident),
            "types": IncidentType.objects.all(),
            "chosen": {k: _chosen(request.GET, k) for k in ("region", "type")},
            "date_from": query["date_from"] if query else _chosen(request.GET, "date_from"),
            "date_to": query["date_to"] if query else _chosen(request.GET, "date_to"),
        },
    )


# --- the situation map's desk: queue and incident card as partials ----------------------------


def _my_agencies(user: Any) -> set[int]:
    return set(user.grants.values_list("agency_id", flat=True)) if user.is_authenticated else set()


@login_required
def desk_queue(request: HttpRequest) -> HttpResponse:
    """The map's incident queue: waiting calls first, then by priority and age. ``scope=mine``
    keeps the calls taken by the user's agencies (and the region's own, recorded by the
    system); ``scope=all`` shows every call in reach, the user's agencies' first."""
    mine = _my_agencies(request.user)
    scope = request.GET.get("scope") or ("mine" if agency_bound(request.user) else "all")
    incidents = (
        _incidents(request)
        .filter(status__in=IncidentStatus.OPEN)
        .select_related("agency")
        .order_by("priority", "reported_at", "id")
    )
    rows = list(incidents)
    if scope == "mine":
        shown = [i for i in rows if i.agency_id is None or i.agency_id in mine]
    else:
        shown = rows
    shown.sort(
        key=lambda i: (
            i.status != IncidentStatus.NEW,
            i.agency_id is not None and i.agency_id not in mine,
            i.priority,
            i.reported_at,
            i.pk,
        )
    )
    return render(
        request,
        "incidents/partials/queue.html",
        {
            "rows": shown,
            "scope": "mine" if scope == "mine" else "all",
            "hidden": len(rows) - len(shown),
            "waiting": sum(1 for i in shown if i.status == IncidentStatus.NEW),
            "mine": mine,
        },
    )


def _card_steps(request: HttpRequest, incident: Incident) -> list[tuple[str, Any, bool]]:
    """The status buttons of the map card (the same rules as the incident page)."""
    has_units = incident.assignments.filter(released_at__isnull=True).exists()
    return _next_steps(request, incident, has_units)


def recommendation_context(request: HttpRequest, incident: Incident) -> dict[str, Any]:
    """The ranked units to send (``queries.recommendations``) grouped for the shared partial:
    the suggested ones and the next few of each kind up front, the rest folded away."""
    if not incident.is_open or incident.status == IncidentStatus.ON_SCENE:
        return {"recs": None}
    if not _may(request, Incident, "change", incident.region_id):
        return {"recs": None}
    result = queries.recommendations(incident, request.user)
    kind_labels = dict(UnitKind.choices())
    shown: list[dict[str, Any]] = []
    more: list[dict[str, Any]] = []
    per_kind: Counter[str] = Counter()
    for candidate in result["recommended"]:
        per_kind[candidate["kind"]] += 1
        (shown if candidate["suggested"] or per_kind[candidate["kind"]] <= 3 else more).append(
            candidate
        )
    for candidate in [*result["recommended"], *result["others"]]:
        candidate["kind_label"] = kind_labels.get(candidate["kind"], candidate["kind"])
        eta = candidate.get("eta_seconds")
        candidate["eta_minutes"] = None if eta is None else max(1, round(eta / 60))
        meters = candidate.get("meters")
        candidate["km"] = None if meters is None else f"{meters / 1000:.1f}"
        candidate["why_label"] = WHY_NOT.get(candidate.get("why_not") or "", "")
        # Any available unit of the region may be sent, ranked or not (no position, no road).
        candidate["sendable"] = candidate["status"] == UnitStatus.AVAILABLE and candidate.get(
            "why_not"
        ) not in ("out_of_region", "busy")
    return {
        "recs": {
            "sendable": any(c["sendable"] for c in [*result["recommended"], *result["others"]]),
            "shown": shown,
            "more": more,
            "others": result["others"][:30],
            "others_count": len(result["others"]),
            "missing": [
                (count, kind_labels.get(kind, kind)) for kind, count in result["missing"].items()
            ],
        }
    }


WHY_NOT = {
    "busy": gettext_lazy("busy"),
    "wrong_kind": gettext_lazy("wrong kind"),
    "no_position": gettext_lazy("no position"),
    "out_of_region": gettext_lazy("out of region"),
    "unreachable": gettext_lazy("no road route"),
    "out_of_service": gettext_lazy("out of service"),
}


def _minutes_since(at: Any) -> int:
    return max(0, round((timezone.now() - at).total_seconds() / 60))


@login_required
def desk_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The selected incident's card on the map: facts, units, status buttons and the ranked
    recommendations (the same partial as the incident page)."""
    incident = get_object_or_404(_incidents(request).select_related("agency"), pk=pk)
    can_change = _may(request, Incident, "change", incident.region_id)
    assignments = list(
        restricted(request.user, incident.assignments)
        .filter(released_at__isnull=True)
        .select_related("unit")
        .order_by("assigned_at", "id")
    )
    return render(
        request,
        "incidents/partials/card.html",
        {
            "incident": incident,
            "status_label": IncidentStatus.label(incident.status),
            "age_minutes": _minutes_since(incident.reported_at),
            "can_change": can_change,
            "steps": _card_steps(request, incident) if can_change else [],
            "assignments": assignments,
            # Ranking by road can take a moment (the first time a region's graph loads): the
            # card comes first, its recommendations follow from ``desk_recommendations``.
            "recs_url": reverse("incidents:desk-recommendations", args=[incident.pk])
            if can_change and incident.is_open and incident.status != IncidentStatus.ON_SCENE
            else None,
            "panels": registry.incident_panels(request, incident),
        },
    )


@login_required
def desk_recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranked units to send for the map card (the partial of the incident page)."""
    incident = get_object_or_404(_incidents(request), pk=pk)
    context = recommendation_context(request, incident)
    if context["recs"] is None:
        return HttpResponse('<div class="recommendations" id="recommendations"></div>')
    return render(
        request, "incidents/partials/recommendations.html", {"incident": incident, **context}
    )

"""Event pages: the calendar, the gates of each event, and the actions a planner takes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saqshy.accounts.regions import list_context, list_params
from saqshy.core import exports, registry
from saqshy.core.exports import Column
from saqshy.core.importing import import_page
from saqshy.core.scoping import user_scope
from saqshy.core.views import run_service
from saqshy.facilities.models import Facility
from saqshy.gatherings import gates, importer, services
from saqshy.gatherings.choices import GatheringKind, GatheringStatus
from saqshy.gatherings.filtersets import GatheringFilterSet
from saqshy.gatherings.forms import GatheringForm
from saqshy.gatherings.models import Gathering


def _visible(request: HttpRequest) -> Any:
    return Gathering.objects.restrict(request.user, "view").select_related("region", "venue")


COLUMNS = [
    Column("#", lambda g: g.pk),
    Column(gettext_lazy("Starts"), lambda g: g.starts_at),
    Column(gettext_lazy("Ends"), lambda g: g.ends_at),
    Column(gettext_lazy("Event"), lambda g: g.name),
    Column(gettext_lazy("Kind"), lambda g: g.get_kind_display()),
    Column(gettext_lazy("Region"), lambda g: g.region),
    Column(gettext_lazy("Venue"), lambda g: g.venue or gettext_lazy("outdoor")),
    Column(gettext_lazy("People"), lambda g: g.expected_attendance),
    Column(gettext_lazy("Children"), lambda g: g.children_count),
    Column(gettext_lazy("Organiser"), lambda g: g.organiser),
    Column(gettext_lazy("Status"), lambda g: g.get_status_display()),
]


@login_required
def gathering_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, Gathering)
    filterset = GatheringFilterSet(params or None, queryset=_visible(request))
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    ordered = queryset.order_by("starts_at", "id")
    if exports.requested(params):
        return exports.export(
            request, ordered, COLUMNS, model=Gathering, stem="events", params=params
        )
    page = Paginator(ordered, 50).get_page(params.get("page"))
    evaluated = gates.evaluate(list(page))
    rows = [(g, [gate for gate in evaluated[g.pk] if not gate.passed]) for g in page]
    return render(
        request,
        "gatherings/list.html",
        {
            **list_context(request, Gathering, params),
            "filter": filterset,
            "page": page,
            "rows": rows,
            "kinds": GatheringKind.choices(),
            "statuses": GatheringStatus.choices(),
            "chosen": {k: params.getlist(k) for k in ("kind", "status")},
            "can_add": not user_scope(request.user, Gathering, "add").empty,
        },
    )


@login_required
def gathering_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV/XLSX event list; all rows are imported or none, each problem named."""
    if user_scope(request.user, Gathering, "add").empty:
        raise PermissionDenied(_("Your role does not let you add events."))
    return import_page(
        request,
        template="gatherings/import.html",
        importer=importer.import_gatherings,
        columns=importer.COLUMNS,
    )


@login_required
def gathering_detail(request: HttpRequest, pk: int) -> HttpResponse:
    gathering = get_object_or_404(_visible(request), pk=pk)
    region = gathering.region_id
    return render(
        request,
        "gatherings/detail.html",
        {
            "event": gathering,
            "gates": gates.evaluate([gathering])[gathering.pk],
            "status_label": GatheringStatus.label(gathering.status),
            "kind_label": GatheringKind.label(gathering.kind),
            "can_change": user_scope(request.user, Gathering, "change").covers(region),
            "can_approve": user_scope(request.user, Gathering, "approve").covers(region),
            "editable": gathering.status in services.EDITABLE,
            # Sections other apps add (the cameras at and near the venue).
            "panels": registry.event_panels(request, gathering),
        },
    )


ACTIONS: dict[str, tuple[Callable[..., Gathering], str, Any]] = {
    "submit": (services.submit, "change", gettext_lazy("Event submitted for approval.")),
    "approve": (services.approve, "approve", gettext_lazy("Event approved.")),
    "reject": (services.reject, "approve", gettext_lazy("Event rejected.")),
    "cancel": (services.cancel, "change", gettext_lazy("Event cancelled.")),
    "held": (services.mark_held, "change", gettext_lazy("Event marked as held.")),
}


@login_required
@require_POST
def gathering_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    gathering = get_object_or_404(_visible(request), pk=pk)
    if action not in ACTIONS:
        raise PermissionDenied(_("Unknown action."))
    service, permission, success = ACTIONS[action]
    if not user_scope(request.user, Gathering, permission).covers(gathering.region_id):
        raise PermissionDenied(_("Your role does not allow this."))
    extra = {"reason": request.POST.get("reason", "")} if action in {"reject", "cancel"} else {}
    run_service(
        request,
        lambda: service(acting_user=request.user, gathering=gathering, **extra),
        str(success),
    )
    return redirect("gatherings:detail", pk=gathering.pk)


def _form(request: HttpRequest, instance: Gathering | None) -> GatheringForm:
    venues: Any = Facility.objects.restrict(request.user, "view").order_by("name")
    return GatheringForm(request.POST or None, instance=instance, venues=venues)


def _save(request: HttpRequest, form: GatheringForm, gathering: Gathering | None) -> Any:
    data = {
        k: v
        for k, v in form.cleaned_data.items()
        if k != "version" and not (k in {"lat", "lon"} and v is None)
    }
    if gathering is None:
        return run_service(
            request,
            lambda: services.create_gathering(acting_user=request.user, **data),
            _("Event added as a draft."),
        )
    changed = {k: data[k] for k in form.changed_data if k in data}
    return run_service(
        request,
        lambda: services.update_gathering(
            acting_user=request.user,
            gathering=gathering,
            expected_version=form.expected_version(),
            **changed,
        ),
        _("Event saved."),
    )


@login_required
def gathering_create(request: HttpRequest) -> HttpResponse:
    if user_scope(request.user, Gathering, "add").empty:
        raise PermissionDenied(_("Your role does not let you add events."))
    form = _form(request, None)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, None)
        if saved is not None:
            return redirect("gatherings:detail", pk=saved.pk)
    return render(request, "gatherings/edit.html", {"form": form, "event": None})


@login_required
def gathering_edit(request: HttpRequest, pk: int) -> HttpResponse:
    gathering = get_object_or_404(_visible(request), pk=pk)
    if not user_scope(request.user, Gathering, "change").covers(gathering.region_id):
        raise PermissionDenied(_("You may view this event but not change it."))
    form = _form(request, Gathering.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, Gathering.objects.get(pk=pk))
        if saved is not None:
            return redirect("gatherings:detail", pk=saved.pk)
    return render(request, "gatherings/edit.html", {"form": form, "event": gathering})

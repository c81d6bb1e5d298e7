"""Weather warning pages: the list (region, status), a warning with confirm and dismiss, and
the manual entry form. Thin: scope from ``restrict``, changes through the services."""

from __future__ import annotations

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
from saqshy.core import exports, versioning
from saqshy.core.exports import Column
from saqshy.core.forms import call_showing_errors
from saqshy.core.scoping import user_scope
from saqshy.core.views import run_service
from saqshy.weather import queries, services
from saqshy.weather.choices import WarningStatus
from saqshy.weather.filtersets import WarningFilterSet
from saqshy.weather.forms import WarningForm, region_choices, segment_choices
from saqshy.weather.models import WeatherWarning

PAGE_SIZE = 50

COLUMNS = [
    Column("#", lambda w: w.pk),
    Column(gettext_lazy("Hazard"), lambda w: w.get_kind_display()),
    Column(gettext_lazy("Level"), lambda w: w.get_level_display()),
    Column(gettext_lazy("Region"), lambda w: w.region.display_name),
    Column(gettext_lazy("Road segments"), lambda w: ", ".join(s.title for s in queries.shown(w))),
    Column(gettext_lazy("From"), lambda w: w.starts_at),
    Column(gettext_lazy("Until"), lambda w: w.ends_at),
    Column(gettext_lazy("Status"), lambda w: w.get_status_display()),
    Column(gettext_lazy("Source"), lambda w: w.get_source_display()),
    Column(gettext_lazy("Note"), lambda w: w.note),
]


@login_required
def warning_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, WeatherWarning)
    rows: Any = WarningFilterSet(params, queryset=queries.visible(request.user)).qs
    if exports.requested(params):
        return exports.export(
            request, rows, COLUMNS, model=WeatherWarning, stem="weather-warnings", params=params
        )
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    chosen = params.getlist("status")
    return render(
        request,
        "weather/list.html",
        {
            **list_context(request, WeatherWarning, params),
            "page": page,
            "statuses": [
                (value, label, value in chosen) for value, label in WarningStatus.choices()
            ],
            "can_add": not user_scope(request.user, WeatherWarning, "add").empty,
        },
    )


@login_required
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    warning: WeatherWarning = get_object_or_404(queries.visible(request.user), pk=pk)
    proposed = warning.status == WarningStatus.PROPOSED
    may_change = user_scope(request.user, WeatherWarning, "change").covers(warning.region_id)
    return render(
        request,
        "weather/detail.html",
        {
            "warning": warning,
            "segments": queries.shown(warning),
            "closures": list(getattr(warning, "shown_closures", [])),
            "version": versioning.version_of(warning),
            "can_confirm": proposed and services.may_confirm(request.user, warning),
            "can_dismiss": proposed and may_change,
        },
    )


def _decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    warning: WeatherWarning = get_object_or_404(queries.visible(request.user), pk=pk)
    note = request.POST.get("note", "")[:500]
    version = request.POST.get("version") or None
    if action == "confirm":
        run_service(
            request,
            lambda: services.confirm_warning(
                acting_user=request.user, warning=warning, note=note, expected_version=version
            ),
            _("Warning confirmed; its road segments are closed."),
        )
    else:
        run_service(
            request,
            lambda: services.dismiss_warning(
                acting_user=request.user, warning=warning, note=note, expected_version=version
            ),
            _("Warning dismissed."),
        )
    return redirect("weather:detail", pk=pk)


@login_required
@require_POST
def warning_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "confirm")


@login_required
@require_POST
def warning_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "dismiss")


@login_required
def warning_create(request: HttpRequest) -> HttpResponse:
    regions = region_choices(request.user)
    if not regions.exists():
        raise PermissionDenied(_("Your role does not let you enter weather warnings."))
    form = WarningForm(
        request.POST or None, regions=regions, segments=segment_choices(request.user)
    )
    if request.method == "POST" and form.is_valid():
        saved = call_showing_errors(
            form,
            lambda: services.create_warning(acting_user=request.user, **form.service_fields()),
        )
        if saved is not None:
            return redirect("weather:detail", pk=saved.pk)
    return render(request, "weather/edit.html", {"form": form})

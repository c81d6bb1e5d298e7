"""Pages for patrol plans: make a plan, see its crews and stops on a map, print crew sheets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.queries import regions_in_scope
from saqshy.core.scoping import user_scope
from saqshy.core.views import run_service
from saqshy.duty.forms import PatrolPlanForm
from saqshy.duty.models import PatrolPlan
from saqshy.duty.patrols import services as patrols


def _local_input(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


@login_required
def patrol_plans(request: HttpRequest) -> HttpResponse:
    visible: Any = PatrolPlan.objects.restrict(request.user, "view").select_related("region")
    regions = regions_in_scope(request.user, PatrolPlan, "add")
    can_add = not user_scope(request.user, PatrolPlan, "add").empty
    start = timezone.localtime().replace(hour=22, minute=0, second=0, microsecond=0)
    form = PatrolPlanForm(
        request.POST or None,
        regions=regions,
        initial={
            "starts_at": _local_input(start),
            "ends_at": _local_input(start + dt.timedelta(hours=6)),
            "slot_minutes": 60,
        },
    )
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied(_("Your role does not let you plan patrols."))
        if form.is_valid():
            data = dict(form.cleaned_data)
            made = run_service(
                request,
                lambda: patrols.create_patrol_plan(acting_user=request.user, **data),
                _("Patrol plan made."),
            )
            if made is not None:
                return redirect("duty:patrol-plan", pk=made.pk)
    page = Paginator(visible.order_by("-starts_at", "-pk"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "duty/patrol_plans.html",
        {"tab": "patrols", "form": form, "can_add": can_add, "page": page},
    )


def _patrol_plan(request: HttpRequest, pk: int) -> PatrolPlan:
    plan: PatrolPlan = get_object_or_404(
        PatrolPlan.objects.restrict(request.user, "view").select_related("region", "forecast"),
        pk=pk,
    )
    return plan


@login_required
def patrol_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _patrol_plan(request, pk)
    crews = patrols.crew_stops(plan)
    stops = [
        {
            "crew": s.crew,
            "lat": s.lat,
            "lon": s.lon,
            "address": s.address,
            "order": s.order,
            "arrive": timezone.localtime(s.arrive_at).strftime("%H:%M"),
            "leave": timezone.localtime(s.leave_at).strftime("%H:%M"),
        }
        for rows in crews.values()
        for s in rows
    ]
    return render(
        request,
        "duty/patrol_plan.html",
        {"tab": "patrols", "plan": plan, "crews": crews, "stops": stops},
    )


@login_required
def patrol_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable sheet of one crew (``?crew=``), or of every crew one per page."""
    plan = _patrol_plan(request, pk)
    crews = patrols.crew_stops(plan)
    wanted = request.GET.get("crew")
    if wanted:
        if wanted not in crews:
            raise Http404
        crews = {wanted: crews[wanted]}
    return render(request, "duty/patrol_sheet.html", {"plan": plan, "crews": crews})

"""Readiness pages: the levels in force, upcoming and past, the reserve per agency; set and end a
level."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saqshy.accounts.models import Agency
from saqshy.accounts.queries import regions_in_scope
from saqshy.core.scoping import user_scope
from saqshy.core.views import run_service
from saqshy.duty.choices import ReadinessLevel
from saqshy.duty.forms import ReadinessForm
from saqshy.duty.models import Readiness
from saqshy.duty.readiness import queries, services


@login_required
def readiness(request: HttpRequest) -> HttpResponse:
    visible: Any = Readiness.objects.restrict(request.user, "view").select_related(
        "region", "agency", "set_by"
    )
    now = timezone.now()
    regions = regions_in_scope(request.user, Readiness, "add")
    can_set = not user_scope(request.user, Readiness, "add").empty
    form = ReadinessForm(
        request.POST or None,
        regions=regions,
        agencies=Agency.objects.filter(Q(region__in=regions) | Q(region=None)).order_by("name_en"),
    )
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied(_("Your role does not let you set readiness levels."))
        if form.is_valid():
            saved = run_service(
                request,
                lambda: services.set_readiness(acting_user=request.user, **form.cleaned_data),
                _("Readiness level set."),
            )
            if saved is not None:
                return redirect("duty:readiness")
    current = list(visible.filter(queries.in_force(now)).order_by("region__name_en", "agency_id"))
    upcoming = list(visible.filter(starts_at__gt=now).order_by("starts_at")[:50])
    past = list(visible.filter(ends_at__lte=now).order_by("-ends_at")[:20])
    states = []
    visible_regions = list(regions_in_scope(request.user, Readiness, "view")[:25])
    for region in visible_regions:
        state = queries.readiness_at(region, None, now)
        states.append((region, state))
    # The reserve per agency now, for the user's own regions (a national view would list all).
    reserves = queries.reserve_board(visible_regions[:3], now)
    return render(
        request,
        "duty/readiness.html",
        {
            "current": current,
            "upcoming": upcoming,
            "past": past,
            "states": states,
            "reserves": reserves,
            "form": form,
            "can_set": can_set,
            "levels": ReadinessLevel.legend(),
        },
    )


@login_required
@require_POST
def readiness_end(request: HttpRequest, pk: int) -> HttpResponse:
    record: Readiness = get_object_or_404(Readiness.objects.restrict(request.user, "view"), pk=pk)
    if not user_scope(request.user, Readiness, "change").covers(record.region_id):
        raise PermissionDenied(_("Your role does not let you end readiness levels."))
    run_service(
        request,
        lambda: services.end_readiness(acting_user=request.user, readiness=record),
        _("Readiness level ended."),
    )
    return redirect("duty:readiness")

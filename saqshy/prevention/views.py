"""Campaign pages: progress by district, a burndown, and the inspector's ranked work queue."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saqshy.accounts.queries import regions_in_scope
from saqshy.accounts.regions import list_context, list_params
from saqshy.core import exports
from saqshy.core.exports import Column
from saqshy.core.scoping import user_scope
from saqshy.core.views import run_service
from saqshy.facilities.choices import FacilityKind
from saqshy.prevention import queries, services
from saqshy.prevention.filtersets import CampaignFilterSet
from saqshy.prevention.forms import CampaignForm
from saqshy.prevention.models import Campaign

FACTOR_LABELS = {
    "kind": gettext_lazy("Kind of building"),
    "capacity": gettext_lazy("Capacity"),
    "children_events": gettext_lazy("Children's events soon"),
    "events": gettext_lazy("Events soon"),
    "next_event": gettext_lazy("Days until the next event"),
    "open_violations": gettext_lazy("Open violations"),
    "past_violations": gettext_lazy("Past violations"),
    "last_inspection": gettext_lazy("Days since the last inspection"),
    "no_fire_alarm": gettext_lazy("Fire alarm"),
    "no_sprinklers": gettext_lazy("Sprinklers"),
    "storeys": gettext_lazy("Storeys"),
}

# Values the risk score writes in plain words; numbers pass through unchanged.
FACTOR_VALUES = {
    "unknown": gettext_lazy("unknown"),
    "never": gettext_lazy("never"),
    "none": gettext_lazy("none"),
    "yes": gettext_lazy("yes"),
    "no": gettext_lazy("no"),
}


COLUMNS = [
    Column("#", lambda c: c.pk),
    Column(gettext_lazy("Campaign"), lambda c: c.name),
    Column(gettext_lazy("Region"), lambda c: c.region),
    Column(gettext_lazy("Starts"), lambda c: c.starts_on),
    Column(gettext_lazy("Deadline"), lambda c: c.deadline),
]


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, Campaign)
    campaigns: Any = CampaignFilterSet(
        params, queryset=Campaign.objects.restrict(request.user, "view").select_related("region")
    ).qs
    if exports.requested(params):
        return exports.export(
            request, campaigns, COLUMNS, model=Campaign, stem="campaigns", params=params
        )
    return render(
        request,
        "prevention/campaigns.html",
        {
            **list_context(request, Campaign, params),
            "campaigns": campaigns,
            "can_add": not user_scope(request.user, Campaign, "add").empty,
        },
    )


def _queue_rows(queue: list[Any], limit: int) -> list[tuple[Any, ...]]:
    return [
        (
            n,
            facility,
            score,
            [
                (FACTOR_LABELS.get(f.code, f.code), FACTOR_VALUES.get(f.value, f.value), f)
                for f in score.factors
            ],
        )
        for n, (facility, score) in enumerate(queue[:limit], start=1)
    ]


QUEUE_ON_PHONE = 30


@login_required
def work_queue(request: HttpRequest) -> HttpResponse:
    """The inspector's start page: what to inspect next in each running campaign they see."""
    today = timezone.localdate()
    campaigns: Any = (
        Campaign.objects.restrict(request.user, "view")
        .filter(starts_on__lte=today, deadline__gte=today)
        .select_related("region")
        .order_by("deadline", "id")
    )
    running = []
    for campaign in campaigns:
        queue = queries.work_queue(campaign, today)
        running.append((campaign, _queue_rows(queue, QUEUE_ON_PHONE), len(queue)))
    return render(request, "prevention/queue.html", {"running": running, "today": today})


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visible: Any = Campaign.objects.restrict(request.user, "view").select_related("region")
    campaign = get_object_or_404(visible, pk=pk)
    today = timezone.localdate()
    total, districts = queries.progress(campaign, today)
    queue = queries.work_queue(campaign, today)
    return render(
        request,
        "prevention/campaign.html",
        {
            "campaign": campaign,
            "kinds": [FacilityKind.label(k) for k in campaign.facility_kinds],
            "total": total,
            "districts": [d for d in districts if d.group],
            "burndown": [
                {"day": day.isoformat(), "remaining": left}
                for day, left in queries.burndown(campaign, today)
            ],
            "queue": _queue_rows(queue, 100),
            "queue_size": len(queue),
        },
    )


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    scope = user_scope(request.user, Campaign, "add")
    if scope.empty:
        raise PermissionDenied(_("Your role does not let you plan campaigns."))
    regions = regions_in_scope(request.user, Campaign, "add")
    form = CampaignForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.create_campaign(acting_user=request.user, **form.cleaned_data),
            _("Campaign created."),
        )
        if saved is not None:
            return redirect("prevention:campaign", pk=saved.pk)
    return render(request, "prevention/campaign_form.html", {"form": form})

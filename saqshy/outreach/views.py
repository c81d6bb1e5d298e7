"""Outreach pages: campaigns (list, detail with reach and status, form), parent meetings (list,
form with the school picker) and the progress per district of a region."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saqshy.accounts.models import Agency, District, Region
from saqshy.accounts.queries import regions_in_scope
from saqshy.accounts.regions import list_context, list_params
from saqshy.core import exports
from saqshy.core.exports import Column
from saqshy.core.scoping import user_scope
from saqshy.core.views import run_service
from saqshy.outreach import queries, services
from saqshy.outreach.choices import CampaignStatus, Topic
from saqshy.outreach.filtersets import CampaignFilterSet, MeetingFilterSet
from saqshy.outreach.forms import CampaignForm, MeetingForm, ReachForm
from saqshy.outreach.models import Campaign, ParentMeeting


def _districts(regions: Any) -> Any:
    return (
        District.objects.filter(region__in=regions)
        .select_related("region")
        .order_by("region__name_en", "name_en")
    )


def _names(items: Any) -> str:
    return ", ".join(str(item) for item in items)


CAMPAIGN_COLUMNS = [
    Column("#", lambda c: c.pk),
    Column(gettext_lazy("Campaign"), lambda c: c.display_title),
    Column(gettext_lazy("Topic"), lambda c: c.get_topic_display()),
    Column(gettext_lazy("Channel"), lambda c: c.get_channel_display()),
    Column(gettext_lazy("Audience"), lambda c: c.get_audience_display()),
    Column(gettext_lazy("Region"), lambda c: c.region),
    Column(gettext_lazy("Districts"), lambda c: _names(c.districts.all())),
    Column(gettext_lazy("Starts"), lambda c: c.starts_on),
    Column(gettext_lazy("Ends"), lambda c: c.ends_on),
    Column(gettext_lazy("Planned reach"), lambda c: c.planned_reach),
    Column(gettext_lazy("Reached"), lambda c: c.reached),
    Column(gettext_lazy("Owner agency"), lambda c: c.owner),
    Column(gettext_lazy("Status"), lambda c: c.get_status_display()),
]

MEETING_COLUMNS = [
    Column("#", lambda m: m.pk),
    Column(gettext_lazy("Date"), lambda m: m.held_on),
    Column(gettext_lazy("School"), lambda m: m.school),
    Column(gettext_lazy("Address"), lambda m: m.school.address),
    Column(gettext_lazy("District"), lambda m: m.district),
    Column(gettext_lazy("Region"), lambda m: m.region),
    Column(gettext_lazy("Class or grade"), lambda m: m.grade),
    Column(gettext_lazy("Parents attending"), lambda m: m.attendees),
    Column(gettext_lazy("Topics"), lambda m: ", ".join(m.topic_labels)),
    Column(gettext_lazy("Held by"), lambda m: m.held_by),
    Column(gettext_lazy("Agency"), lambda m: m.held_by_agency),
]


def _filter_context(request: HttpRequest, model: Any, params: Any) -> dict[str, Any]:
    context = list_context(request, model, params)
    regions = context["regions"]
    chosen = [r for r in regions if r.slug in context["chosen_regions"]]
    context["districts"] = _districts(chosen or regions)
    context["chosen_district"] = params.get("district", "")
    return context


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, Campaign)
    filterset = CampaignFilterSet(params or None, queryset=queries.campaigns(request.user))
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    ordered = queryset.order_by("-starts_on", "id")
    if exports.requested(params):
        return exports.export(
            request,
            ordered,
            CAMPAIGN_COLUMNS,
            model=Campaign,
            stem="outreach-campaigns",
            params=params,
        )
    page = Paginator(ordered, 50).get_page(params.get("page"))
    return render(
        request,
        "outreach/campaign_list.html",
        {
            **_filter_context(request, Campaign, params),
            "filter": filterset,
            "page": page,
            "totals": queries.reach_totals(queryset),
            "topics": Topic.choices(),
            "statuses": CampaignStatus.choices(),
            "chosen": {"topic": params.getlist("topic"), "status": params.getlist("status")},
            "can_add": not user_scope(request.user, Campaign, "add").empty,
        },
    )


def _agencies() -> Any:
    return Agency.objects.order_by("name_en")


def _campaign_form(request: HttpRequest, instance: Campaign | None) -> CampaignForm:
    regions = regions_in_scope(request.user, Campaign, "change" if instance else "add")
    return CampaignForm(
        request.POST or None,
        instance=instance,
        regions=regions,
        districts=_districts(regions),
        agencies=_agencies(),
    )


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    if user_scope(request.user, Campaign, "add").empty:
        raise PermissionDenied(_("Your role does not let you add campaigns."))
    form = _campaign_form(request, None)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.create_campaign(acting_user=request.user, **form.service_fields()),
            _("Campaign saved."),
        )
        if saved is not None:
            return redirect("outreach:campaign", pk=saved.pk)
    return render(request, "outreach/campaign_edit.html", {"form": form, "campaign": None})


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(queries.campaigns(request.user), pk=pk)
    if not user_scope(request.user, Campaign, "change").covers(campaign.region_id):
        raise PermissionDenied(_("You may view this campaign but not change it."))
    form = _campaign_form(request, Campaign.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.update_campaign(
                acting_user=request.user,
                campaign=Campaign.objects.get(pk=pk),
                expected_version=form.expected_version(),
                **form.changed_fields(),
            ),
            _("Campaign saved."),
        )
        if saved is not None:
            return redirect("outreach:campaign", pk=pk)
    return render(request, "outreach/campaign_edit.html", {"form": form, "campaign": campaign})


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(queries.campaigns(request.user), pk=pk)
    can_change = user_scope(request.user, Campaign, "change").covers(campaign.region_id)
    moves = [
        (name, CampaignStatus.label(target))
        for name, (sources, target) in CampaignStatus.TRANSITIONS.items()
        if campaign.status in sources
    ]
    return render(
        request,
        "outreach/campaign_detail.html",
        {
            "campaign": campaign,
            "can_change": can_change,
            "reach_form": ReachForm(initial={"reached": campaign.reached}) if can_change else None,
            "moves": moves if can_change else [],
        },
    )


@login_required
@require_POST
def campaign_reach(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(queries.campaigns(request.user), pk=pk)
    form = ReachForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("outreach:campaign", pk=pk)
    run_service(
        request,
        lambda: services.record_reach(
            acting_user=request.user,
            campaign=campaign,
            reached=form.cleaned_data["reached"],
            expected_version=form.expected_version(),
        ),
        _("Reach recorded."),
    )
    return redirect("outreach:campaign", pk=pk)


@login_required
@require_POST
def campaign_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    campaign = get_object_or_404(queries.campaigns(request.user), pk=pk)
    if action not in CampaignStatus.TRANSITIONS:
        raise PermissionDenied(_("Unknown action."))
    run_service(
        request,
        lambda: services.move_campaign(acting_user=request.user, campaign=campaign, name=action),
        _("Campaign status changed."),
    )
    return redirect("outreach:campaign", pk=pk)


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, ParentMeeting)
    filterset = MeetingFilterSet(params or None, queryset=queries.meetings(request.user))
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    ordered = queryset.order_by("-held_on", "id")
    if exports.requested(params):
        return exports.export(
            request,
            ordered,
            MEETING_COLUMNS,
            model=ParentMeeting,
            stem="parent-meetings",
            params=params,
        )
    page = Paginator(ordered, 50).get_page(params.get("page"))
    return render(
        request,
        "outreach/meeting_list.html",
        {
            **_filter_context(request, ParentMeeting, params),
            "filter": filterset,
            "page": page,
            "can_add": not user_scope(request.user, ParentMeeting, "add").empty,
        },
    )


def _meeting_form(request: HttpRequest, instance: ParentMeeting | None) -> MeetingForm:
    schools = queries.schools(request.user, request.GET.get("school_q", "")[:100])
    if instance is not None:
        schools = schools | queries.schools(request.user).filter(pk=instance.school_id)
    return MeetingForm(
        request.POST or None,
        instance=instance,
        schools=schools,
        agencies=_agencies(),
        label=queries.school_label,
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    if user_scope(request.user, ParentMeeting, "add").empty:
        raise PermissionDenied(_("Your role does not let you record parent meetings."))
    form = _meeting_form(request, None)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.record_meeting(acting_user=request.user, **form.service_fields()),
            _("Parent meeting recorded."),
        )
        if saved is not None:
            return redirect("outreach:meetings")
    return render(
        request,
        "outreach/meeting_edit.html",
        {"form": form, "meeting": None, "school_q": request.GET.get("school_q", "")},
    )


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(queries.meetings(request.user), pk=pk)
    can_change = user_scope(request.user, ParentMeeting, "change").covers(meeting.region_id)
    if request.method == "POST" and not can_change:
        raise PermissionDenied(_("You may view this meeting but not change it."))
    form = _meeting_form(request, ParentMeeting.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.update_meeting(
                acting_user=request.user,
                meeting=ParentMeeting.objects.get(pk=pk),
                expected_version=form.expected_version(),
                **form.changed_fields(),
            ),
            _("Parent meeting saved."),
        )
        if saved is not None:
            return redirect("outreach:meetings")
    return render(
        request,
        "outreach/meeting_edit.html",
        {
            "form": form,
            "meeting": meeting,
            "can_change": can_change,
            "school_q": request.GET.get("school_q", ""),
        },
    )


def _day(value: str | None, default: dt.date) -> tuple[dt.date, bool]:
    if not value:
        return default, True
    try:
        return dt.date.fromisoformat(value), True
    except ValueError:
        return default, False


@login_required
def progress(request: HttpRequest) -> HttpResponse:
    params = list_params(request, ParentMeeting)
    regions = list(regions_in_scope(request.user, ParentMeeting))
    region: Region | None = None
    slug = params.get("region", "")
    if slug:
        region = next((r for r in regions if r.slug == slug), None)
    elif len(regions) == 1:
        region = regions[0]
    first_default, last_default = queries.season(timezone.localdate())
    first, ok_first = _day(params.get("from"), first_default)
    last, ok_last = _day(params.get("to"), last_default)
    errors = []
    if not (ok_first and ok_last) or last < first:
        errors.append(_("Give the period as two dates, the first not after the last."))
        first, last = first_default, last_default
    rows, total = queries.progress(request.user, region, first, last) if region else ([], None)
    return render(
        request,
        "outreach/progress.html",
        {
            "regions": regions,
            "chosen_regions": [region.slug] if region else [],
            "region": region,
            "first": first,
            "last": last,
            "errors": errors,
            "rows": rows,
            "total": total,
            "topics": Topic.choices(),
        },
    )

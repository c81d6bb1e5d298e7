"""Pages of the home fire-alarm programme: installations, campaigns, households.

Thin: every household shown comes from ``queries.households_for`` and is audited as a read;
a refused household is a 404 with an audited refusal. Social services add and edit households
through ``forms.HouseholdForm`` and the services (audit, versions, live push). The incident
page's household section (``incident_panel``) is shown to the fire dispatch only while the
alarm incident is open.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saqshy.accounts.queries import regions_in_scope
from saqshy.accounts.regions import list_context, list_params
from saqshy.alarms import queries, services
from saqshy.alarms.choices import CallBackAnswer, CallBackStatus
from saqshy.alarms.filtersets import (
    HouseholdFilterSet,
    InstallationCampaignFilterSet,
    InstallationFilterSet,
)
from saqshy.alarms.forms import HouseholdForm
from saqshy.alarms.models import Household, Installation, InstallationCampaign
from saqshy.core import audit, exports
from saqshy.core.exports import Column
from saqshy.core.forms import call_showing_errors
from saqshy.core.scoping import user_scope
from saqshy.core.views import run_service
from saqshy.incidents.models import Incident

INSTALLATION_COLUMNS = [
    Column("#", lambda i: i.pk),
    Column(gettext_lazy("Device"), lambda i: i.device.serial),
    Column(gettext_lazy("Model"), lambda i: i.device.model),
    Column(gettext_lazy("Firmware"), lambda i: i.device.firmware),
    Column(gettext_lazy("Region"), lambda i: i.region.display_name),
    Column(gettext_lazy("District"), lambda i: i.district.display_name if i.district else ""),
    Column(gettext_lazy("Room"), lambda i: i.room),
    Column(gettext_lazy("Installer"), lambda i: i.installer_name),
    Column(gettext_lazy("Installed on"), lambda i: i.installed_on),
    Column(gettext_lazy("Campaign"), lambda i: i.campaign.name if i.campaign else ""),
]
HOUSEHOLD_COLUMNS = [
    Column("#", lambda h: h.pk),
    Column(gettext_lazy("Category"), lambda h: h.category.display_name),
    Column(gettext_lazy("Address"), lambda h: h.address),
    Column(gettext_lazy("Region"), lambda h: h.region.display_name),
    Column(gettext_lazy("District"), lambda h: h.district.display_name if h.district else ""),
    Column(gettext_lazy("Contact name"), lambda h: h.contact_name),
    Column(gettext_lazy("Consent"), lambda h: h.consent_given),
    Column(gettext_lazy("consent date"), lambda h: h.consent_date),
]
CAMPAIGN_COLUMNS = [
    Column("#", lambda row: row[0].pk),
    Column(gettext_lazy("Name"), lambda row: row[0].name),
    Column(gettext_lazy("Region"), lambda row: row[0].region.display_name),
    Column(gettext_lazy("Starts"), lambda row: row[0].starts_on),
    Column(gettext_lazy("Ends"), lambda row: row[0].ends_on),
    Column(gettext_lazy("Installed"), lambda row: row[1]),
    Column(gettext_lazy("Target"), lambda row: row[2]),
    Column(gettext_lazy("Progress"), lambda row: row[3]),
]


@login_required
def installation_list(request: HttpRequest) -> HttpResponse:
    """Installed alarms within the user's grants; no personal data on this page."""
    params = list_params(request, Installation)
    rows: QuerySet[Installation] = InstallationFilterSet(
        params,
        queryset=Installation.objects.restrict(request.user, "view")
        .select_related("device", "district", "campaign", "region")
        .order_by("-installed_on", "id"),
    ).qs
    if user_scope(request.user, Installation, "view").empty:
        raise PermissionDenied
    if exports.requested(params):
        return exports.export(
            request,
            rows,
            INSTALLATION_COLUMNS,
            model=Installation,
            stem="installations",
            params=params,
        )
    page = Paginator(rows, 50).get_page(params.get("page"))
    visible_households = set(
        queries.households_for(request.user)
        .filter(pk__in=[row.household_id for row in page])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "alarms/installation_list.html",
        {
            **list_context(request, Installation, params),
            "page": page,
            "visible_households": visible_households,
        },
    )


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, Household)
    households = HouseholdFilterSet(
        params,
        queryset=queries.households_for(request.user).select_related(
            "category", "district", "region"
        ),
    ).qs
    if exports.requested(params):
        return exports.export(
            request,
            households,
            HOUSEHOLD_COLUMNS,
            model=Household,
            stem="households",
            params=params,
            read_via="alarms:households-export",
        )
    page = Paginator(households, 50).get_page(params.get("page"))
    audit.record_read(acting_user=request.user, instances=list(page), via="alarms:households")
    can_add = not user_scope(request.user, Household, "add").empty
    return render(
        request,
        "alarms/household_list.html",
        {**list_context(request, Household, params), "page": page, "can_add": can_add},
    )


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = queries.household_or_refuse(request.user, pk, via="alarms:household")
    installations: QuerySet[Installation] = (
        Installation.objects.restrict(request.user, "view")
        .filter(household=household)
        .select_related("device", "campaign")
    )
    return render(
        request,
        "alarms/household_detail.html",
        {
            "household": household,
            "installations": installations,
            "open_incident": queries.open_alarm_incident(household),
            "can_change": user_scope(request.user, Household, "change").covers(household.region_id),
        },
    )


def _save_household(
    request: HttpRequest, form: HouseholdForm, household: Household | None
) -> Household | None:
    """Save through the services (audit, versions, live push); a refusal becomes a form error."""
    data = dict(form.cleaned_data)
    if household is None:
        return call_showing_errors(
            form,
            lambda: services.create_household(acting_user=request.user, **data),
            refused=_("You may not keep a household in this region."),
        )
    # Only what the worker changed; the version the page was loaded with guards the rest.
    changes = {name: data[name] for name in form.changed_data if name in data}
    return call_showing_errors(
        form,
        lambda: services.update_household(
            acting_user=request.user,
            household=household,
            expected_version=form.expected_version(),
            **changes,
        ),
        refused=_("You may not keep a household in this region."),
    )


@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    """Social services add a household (personal data) in a region where they may."""
    if user_scope(request.user, Household, "add").empty:
        raise PermissionDenied(_("Your role does not let you add households."))
    form = HouseholdForm(
        request.POST or None, regions=regions_in_scope(request.user, Household, "add")
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_household(request, form, None)
        if saved is not None:
            messages.success(request, _("Household added."))
            return redirect("alarms:household", saved.pk)
    return render(request, "alarms/household_form.html", {"form": form, "household": None})


@login_required
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a household: read like the detail page (audited; 404 and an audited refusal when
    the user may not see it), 403 when they see it but may not change it (the fire dispatch
    during an alarm)."""
    household = queries.household_or_refuse(request.user, pk, via="alarms:household-edit")
    if not user_scope(request.user, Household, "change").covers(household.region_id):
        raise PermissionDenied(_("You may view this household but not change it."))
    form = HouseholdForm(
        request.POST or None,
        instance=household,
        regions=regions_in_scope(request.user, Household, "change"),
    )
    if request.method == "POST" and form.is_valid():
        fresh = Household.objects.get(pk=household.pk)
        saved = _save_household(request, form, fresh)
        if saved is not None:
            messages.success(request, _("Household saved."))
            return redirect("alarms:household", saved.pk)
    return render(request, "alarms/household_form.html", {"form": form, "household": household})


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, InstallationCampaign)
    campaigns: QuerySet[InstallationCampaign] = InstallationCampaignFilterSet(
        params,
        queryset=InstallationCampaign.objects.restrict(request.user, "view").select_related(
            "region"
        ),
    ).qs
    rows = []
    for campaign in campaigns:
        progress = queries.campaign_progress(request.user, campaign)
        installed = sum(row.installed for row in progress)
        target = campaign.target_count or sum(row.target for row in progress)
        percent = min(100, round(100 * installed / target)) if target else 0
        rows.append((campaign, installed, target, percent))
    if exports.requested(params):
        return exports.export(
            request,
            rows,
            CAMPAIGN_COLUMNS,
            model=InstallationCampaign,
            stem="alarm-campaigns",
            params=params,
        )
    return render(
        request,
        "alarms/campaign_list.html",
        {**list_context(request, InstallationCampaign, params), "rows": rows},
    )


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign: InstallationCampaign = get_object_or_404(
        InstallationCampaign.objects.restrict(request.user, "view").select_related("region"),
        pk=pk,
    )
    return render(
        request,
        "alarms/campaign_detail.html",
        {"campaign": campaign, "progress": queries.campaign_progress(request.user, campaign)},
    )


@login_required
@require_POST
def callback_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The dispatcher records what the household said (from the incident's household panel)."""
    callback = get_object_or_404(queries.callbacks_for(request.user), pk=pk)
    run_service(
        request,
        lambda: services.record_answer(
            acting_user=request.user,
            callback=callback,
            answer=request.POST.get("answer", ""),
            text=request.POST.get("text", ""),
        ),
        _("Answer recorded."),
    )
    return redirect("incidents:detail", callback.incident_id)


def incident_panel(request: HttpRequest, incident: Incident) -> str:
    """The household behind an open alarm incident, for the fire dispatch only (audited)."""
    if not incident.is_open:
        return ""
    user = request.user
    if not (getattr(user, "is_superuser", False) or queries.is_fire_dispatcher_for(user, incident)):
        return ""
    household = queries.incident_household(incident)
    if household is None:
        return ""
    if not queries.households_for(user).filter(pk=household.pk).exists():
        return ""
    audit.record_read(acting_user=user, instances=[household], via="incidents:alarm-household")
    callbacks = list(
        queries.callbacks_for(user).filter(incident=incident).order_by("-created_at", "-id")
    )
    return render_to_string(
        "alarms/incident_panel.html",
        {
            "household": household,
            "callbacks": callbacks,
            "answers": CallBackAnswer.choices(),
            "answerable": [
                cb
                for cb in callbacks
                if cb.status != CallBackStatus.ANSWERED and services.may_answer(user, cb)
            ],
        },
        request=request,
    )

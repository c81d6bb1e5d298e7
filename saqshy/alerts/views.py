"""Alert pages: the list (region and state filters), the authoring form in three languages
with an area picker, an alert's page (texts, areas, XML preview; submit, approve and
publish, send back, update, cancel). Thin: scope from ``restrict``, changes through the
services; refusals come back as messages or form errors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saqshy.accounts.queries import regions_in_scope
from saqshy.accounts.regions import list_context, list_params
from saqshy.alerts import queries, services
from saqshy.alerts.choices import MsgType, Severity, State
from saqshy.alerts.forms import AlertForm
from saqshy.alerts.models import Alert
from saqshy.core import exports
from saqshy.core.exceptions import Conflict
from saqshy.core.exports import Column
from saqshy.core.scoping import user_scope

PAGE_SIZE = 50


def _headline(alert: Alert) -> str:
    info = queries.info_in(alert.infos.all(), get_language() or "ru")
    return (info.headline or info.event) if info else ""


def _severity(alert: Alert) -> str:
    info = queries.info_in(alert.infos.all(), get_language() or "ru")
    return str(Severity.label(info.severity)) if info else ""


COLUMNS = [
    Column("#", lambda a: a.pk),
    Column(gettext_lazy("Headline"), _headline),
    Column(gettext_lazy("Region"), lambda a: a.region.display_name if a.region else ""),
    Column(gettext_lazy("Severity"), _severity),
    Column(gettext_lazy("Message type"), lambda a: a.get_msg_type_display()),
    Column(gettext_lazy("State"), lambda a: a.get_state_display()),
    Column(gettext_lazy("In force"), lambda a: a.active),
    Column(gettext_lazy("Sent"), lambda a: a.sent),
    Column(gettext_lazy("Source"), lambda a: a.get_source_display()),
]


def _row(alert: Alert, language: str) -> dict[str, Any]:
    info = queries.info_in(alert.infos.all(), language)
    return {
        "alert": alert,
        "headline": (info.headline or info.event) if info else "—",
        "severity": Severity.label(info.severity) if info else "",
        "colour": Severity.colour(info.severity) if info else "#969696",
        "state_colour": State.colour(alert.state),
    }


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, Alert)
    rows = queries.visible_alerts(request.user).prefetch_related("infos")
    chosen = [slug for slug in params.getlist("region") if slug]
    if chosen:
        rows = rows.filter(region__slug__in=chosen)
    state = params.get("state", "")
    if state in State.values():
        rows = rows.filter(state=state)
    if params.get("active") == "1":
        rows = rows.filter(active=True)
    rows = rows.order_by("-created_at")
    if exports.requested(params):
        return exports.export(request, rows, COLUMNS, model=Alert, stem="alerts", params=params)
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    language = get_language() or "ru"
    keep = [(key, params[key]) for key in ("state", "active") if params.get(key)]
    return render(
        request,
        "alerts/alert_list.html",
        {
            **list_context(request, Alert, params),
            "page": page,
            "rows": [_row(alert, language) for alert in page],
            "states": State.choices(),
            "state": state,
            "keep": keep,
            "can_add": not user_scope(request.user, Alert, "add").empty,
        },
    )


def _form_page(
    request: HttpRequest, form: AlertForm, original: Alert | None, editing: Alert | None = None
) -> HttpResponse:
    return render(
        request,
        "alerts/alert_form.html",
        {
            "form": form,
            "original": original,
            "editing": editing,
            "picker": {
                "tiles": reverse("situation:tile", args=[1, 2, 3]).replace("1/2/3", "{z}/{x}/{y}"),
                "centre": form.fields["region"]
                .queryset.exclude(centre_lat=None)  # type: ignore[attr-defined]
                .values_list("centre_lat", "centre_lon")
                .first(),
            },
        },
    )


def _save_form(request: HttpRequest, form: AlertForm, original: Alert | None) -> Alert | None:
    try:
        area = services.make_area(**form.area_arguments())
        if original is None:
            return services.create_alert(
                acting_user=request.user,
                region=form.cleaned_data["region"],
                status=form.cleaned_data["status"],
                infos=form.infos(),
                areas=[area],
            )
        return services.follow_up(
            acting_user=request.user,
            original=original,
            msg_type=MsgType.UPDATE,
            infos=form.infos(),
            areas=[area],
        )
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            name = {
                "region": "region",
                "district": "area_district",
                "segment": "area_segment",
                "polygon": "area_polygon",
                "area_desc": "area_desc",
                "kind": "area_kind",
            }.get(field)
            if name is None and "." in field:
                prefix, key = field.split(".", 1)
                name = f"{key}_{prefix}" if f"{key}_{prefix}" in form.fields else None
            for problem in problems:
                form.add_error(name, problem)
    except Conflict as error:
        form.add_error(None, error.detail)
    return None


@login_required
def alert_new(request: HttpRequest) -> HttpResponse:
    regions = regions_in_scope(request.user, Alert, "add")
    if not regions.exists():
        raise PermissionDenied
    original = None
    if request.GET.get("update") or request.POST.get("update"):
        original = get_object_or_404(
            queries.visible_alerts(request.user),
            pk=request.GET.get("update") or request.POST.get("update"),
        )
    if request.method == "POST":
        form = AlertForm(request.POST, regions=regions)
        if form.is_valid():
            alert = _save_form(request, form, original)
            if alert is not None:
                messages.success(
                    request, _("The draft is saved. Check it and send it for approval.")
                )
                return redirect("alerts:detail", pk=alert.pk)
    else:
        initial = AlertForm.initial_from(original) if original else {}
        form = AlertForm(initial=initial, regions=regions)
    return _form_page(request, form, original)


@login_required
def alert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft's texts and area (only a draft changes; a published alert is updated)."""
    alert: Alert = get_object_or_404(queries.visible_alerts(request.user), pk=pk)
    if alert.state != State.DRAFT or alert.region is None:
        messages.error(request, _("Only a draft can be edited."))
        return redirect("alerts:detail", pk=alert.pk)
    regions = regions_in_scope(request.user, Alert, "change").filter(pk=alert.region.pk)
    if not regions.exists():
        raise PermissionDenied
    if request.method == "POST":
        form = AlertForm(request.POST, regions=regions)
        if form.is_valid():
            try:
                services.edit_draft(
                    acting_user=request.user,
                    alert=alert,
                    infos=form.infos(),
                    areas=[services.make_area(**form.area_arguments())],
                )
            except ValidationError as error:
                for problems in error.message_dict.values():
                    for problem in problems:
                        form.add_error(None, problem)
            except Conflict as error:
                form.add_error(None, error.detail)
            else:
                messages.success(
                    request, _("The draft is saved. Check it and send it for approval.")
                )
                return redirect("alerts:detail", pk=alert.pk)
    else:
        form = AlertForm(initial=AlertForm.initial_from(alert), regions=regions)
    return _form_page(request, form, None, editing=alert)


@login_required
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert: Alert = get_object_or_404(
        queries.visible_alerts(request.user).prefetch_related("infos", "areas"), pk=pk
    )
    may_change = not user_scope(request.user, Alert, "change").empty and user_scope(
        request.user, Alert, "change"
    ).covers(alert.region_id, None)
    preview = alert.xml or (
        services.preview_xml(alert).decode("utf-8") if alert.infos.exists() else ""
    )
    return render(
        request,
        "alerts/alert_detail.html",
        {
            "alert": alert,
            "row": _row(alert, get_language() or "ru"),
            "infos": alert.infos.order_by("id"),
            "areas": alert.areas.order_by("id"),
            "preview": preview,
            "public_url": queries.xml_url(alert) if alert.xml else "",
            "may_change": may_change,
            "may_approve": may_change
            and alert.state == State.SUBMITTED
            and alert.author_id != request.user.pk,
            "is_author": alert.author_id == request.user.pk,
            "may_follow_up": may_change
            and alert.state == State.PUBLISHED
            and alert.active
            and alert.source == "authored",
        },
    )


@login_required
@require_POST
def alert_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    alert: Alert = get_object_or_404(queries.visible_alerts(request.user), pk=pk)
    try:
        if name == "submit":
            services.submit(acting_user=request.user, alert=alert)
            messages.success(request, _("Sent for approval."))
        elif name == "approve":
            services.approve(acting_user=request.user, alert=alert)
            messages.success(request, _("Approved and published."))
        elif name == "send-back":
            services.send_back(acting_user=request.user, alert=alert)
            messages.success(request, _("Returned to the author as a draft."))
        elif name == "cancel":
            cancel = services.follow_up(
                acting_user=request.user, original=alert, msg_type=MsgType.CANCEL
            )
            messages.success(
                request, _("A cancellation is drafted. It takes effect once it is approved.")
            )
            return redirect("alerts:detail", pk=cancel.pk)
        else:
            raise Http404
    except ValidationError as error:
        for problems in error.message_dict.values():
            for problem in problems:
                messages.error(request, problem)
    except (PermissionDenied, Conflict) as error:
        messages.error(request, getattr(error, "detail", None) or str(error))
    return redirect("alerts:detail", pk=alert.pk)

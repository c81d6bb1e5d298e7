"""Pages for planning: plan runs (request, progress, result, roster per post and per person),
re-planning after a sickness, roster exports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saqshy.accounts.queries import regions_in_scope
from saqshy.core import audit
from saqshy.core.scoping import user_scope
from saqshy.core.views import run_service
from saqshy.duty import wording
from saqshy.duty.choices import PlanKind
from saqshy.duty.forms import PlanRunForm, SickForm
from saqshy.duty.models import Absence, Person, PlanRun, Post, Shift
from saqshy.duty.rosters import display, exports, planning, plans

NAMES_PER_CELL = 12


def _local_input(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    """Request a run; the region's runs, newest first."""
    runs: Any = PlanRun.objects.restrict(request.user, "view").select_related(
        "region", "district", "requested_by"
    )
    regions = regions_in_scope(request.user, PlanRun, "add")
    can_add = not user_scope(request.user, PlanRun, "add").empty
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    start += dt.timedelta(days=1)
    form = PlanRunForm(
        request.POST or None,
        regions=regions,
        initial={
            "starts_at": _local_input(start),
            "ends_at": _local_input(start + dt.timedelta(days=3)),
            "kind": PlanKind.ROSTER,
            "region": regions.first() if hasattr(regions, "first") else None,
        },
    )
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied(_("Your role does not let you plan rosters."))
        if form.is_valid():
            data = dict(form.cleaned_data)
            if data["kind"] == PlanKind.REPLAN:
                # After posts changed (an event added): the latest roster's window from
                # "From" on, changing as few shifts as it can.
                def queue() -> PlanRun:
                    return plans.replan_after_change(
                        acting_user=request.user,
                        region=data["region"],
                        at=data["starts_at"],
                        time_limit_s=data["time_limit_s"],
                    )
            else:

                def queue() -> PlanRun:
                    return plans.request_run(acting_user=request.user, **data)

            run = run_service(request, queue, _("The run is queued."))
            if run is not None:
                return redirect("duty:plan-run", pk=run.pk)
    page = Paginator(runs.order_by("-created_at", "-pk"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "duty/plan.html",
        {"tab": "plan", "form": form, "can_add": can_add, "page": page},
    )


def _run(request: HttpRequest, pk: int) -> PlanRun:
    run: PlanRun = get_object_or_404(
        PlanRun.objects.restrict(request.user, "view").select_related(
            "region", "district", "requested_by"
        ),
        pk=pk,
    )
    return run


@login_required
def plan_run_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the page polls while a run is queued or running."""
    run = _run(request, pk)
    return JsonResponse({"id": run.pk, "finished": run.finished, **plans.run_payload(run)})


def _roster_tables(
    request: HttpRequest, run: PlanRun
) -> tuple[list[dt.date], list[dict[str, Any]], Any]:
    shifts: list[Shift] = list(
        Shift.objects.restrict(request.user, "view")
        .filter(post__region=run.region, starts_at__lt=run.ends_at, ends_at__gt=run.starts_at)
        .select_related("person", "post")
        .order_by("starts_at", "pk")
    )
    first = timezone.localtime(run.starts_at).date()
    last = timezone.localtime(run.ends_at - dt.timedelta(seconds=1)).date()
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    by_post: dict[int, dict[dt.date, list[Shift]]] = defaultdict(lambda: defaultdict(list))
    posts: dict[int, Post] = {}
    by_person: dict[int, list[Shift]] = defaultdict(list)
    for shift in shifts:
        day = timezone.localtime(shift.starts_at).date()
        by_post[shift.post_id][day].append(shift)
        posts[shift.post_id] = shift.post
        by_person[shift.person_id].append(shift)
    post_rows = []
    for post_id, cells in sorted(by_post.items(), key=lambda item: posts[item[0]].display_name):
        row = []
        for day in days:
            names = sorted({s.person.last_name for s in cells.get(day, [])})
            row.append(
                {
                    "names": names[:NAMES_PER_CELL],
                    "more": max(0, len(names) - NAMES_PER_CELL),
                    "count": len(names),
                }
            )
        post_rows.append({"post": posts[post_id], "cells": row})
    people = sorted(by_person.items(), key=lambda item: item[1][0].person.last_name)
    person_page = Paginator(
        [
            {
                "person": rows[0].person,
                "cells": [
                    [s for s in rows if timezone.localtime(s.starts_at).date() == day]
                    for day in days
                ],
                "hours": sum((s.ends_at - s.starts_at).total_seconds() for s in rows) / 3600,
            }
            for _pk, rows in people
        ],
        50,
    ).get_page(request.GET.get("people"))
    return days, post_rows, person_page


@login_required
def plan_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    gaps, summary, changes = display.in_reader_language(run)
    gaps = [{**row, "text": planning.gap_text(row)} for row in gaps]
    days: list[dt.date] = []
    post_rows: list[dict[str, Any]] = []
    person_page = None
    if run.finished and run.kind in (PlanKind.ROSTER, PlanKind.REPLAN):
        days, post_rows, person_page = _roster_tables(request, run)
    return render(
        request,
        "duty/plan_run.html",
        {
            "tab": "plan",
            "run": run,
            "gaps": gaps,
            "summary": summary,
            "changes": changes,
            "result_text": wording.plan_result(run) if run.finished else "",
            "days": days,
            "post_rows": post_rows,
            "person_page": person_page,
            "coverage_pct": None if run.coverage is None else 100 * run.coverage,
            "gap_pct": None if run.gap is None else 100 * run.gap,
        },
    )


def _person(request: HttpRequest, pk: int) -> Person:
    person: Person = get_object_or_404(
        Person.objects.restrict(request.user, "view").select_related(
            "agency", "region", "district"
        ),
        pk=pk,
    )
    return person


@login_required
@require_POST
def report_sick(request: HttpRequest, pk: int) -> HttpResponse:
    """Report a person sick from a moment and re-plan their district."""
    person = _person(request, pk)
    if not user_scope(request.user, Absence, "add").covers(person.region_id, person.agency_id):
        raise PermissionDenied(_("Your role does not let you record absences."))
    if not user_scope(request.user, PlanRun, "add").covers(person.region_id):
        raise PermissionDenied(_("Your role does not let you plan rosters."))
    form = SickForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                from django.contrib import messages

                messages.error(request, str(error))
        return redirect("duty:person", pk=person.pk)
    run = run_service(
        request,
        lambda: plans.replan_after_sickness(
            acting_user=request.user,
            person=person,
            sick_from=form.cleaned_data["sick_from"],
            note=form.cleaned_data["note"],
        ),
        _("Sickness recorded; the district is being re-planned."),
    )
    if run is not None:
        return redirect("duty:plan-run", pk=run.pk)
    return redirect("duty:person", pk=person.pk)


@login_required
def person_ics(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    audit.record_read(acting_user=request.user, instances=[person], via="duty:person-ics")
    shifts: Any = (
        Shift.objects.restrict(request.user, "view")
        .filter(person=person)
        .select_related("post")
        .order_by("starts_at")
    )
    response = HttpResponse(
        exports.person_calendar(person, shifts), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="roster-{person.pk}.ics"'
    return response


@login_required
def post_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    post: Post = get_object_or_404(Post.objects.restrict(request.user, "view"), pk=pk)
    shifts: list[Shift] = list(
        Shift.objects.restrict(request.user, "view")
        .filter(post=post)
        .select_related("person")
        .order_by("starts_at", "person__last_name")
    )
    people = {shift.person_id: shift.person for shift in shifts}
    audit.record_read(acting_user=request.user, instances=people.values(), via="duty:post-pdf")
    response = HttpResponse(exports.post_pdf(post, shifts), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="post-{post.pk}-roster.pdf"'
    return response

"""Duty pages: posts with their needs and staffing, personnel and absences."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saqshy.accounts.models import Agency, District
from saqshy.accounts.queries import regions_in_scope
from saqshy.accounts.regions import list_context, list_params
from saqshy.core import audit, exports
from saqshy.core.exports import Column
from saqshy.core.forms import versioned
from saqshy.core.scoping import restricted, restricted_prefetch, user_scope
from saqshy.core.views import run_service
from saqshy.duty import services
from saqshy.duty.choices import PostKind
from saqshy.duty.filtersets import PersonFilterSet, PostFilterSet
from saqshy.duty.forms import (
    AbsenceForm,
    PersonForm,
    PersonnelImportForm,
    SickForm,
)
from saqshy.duty.models import Absence, Person, PlanRun, Post, PostNeed
from saqshy.duty.readiness import queries
from saqshy.duty.wording import skill_label, skills_label


def _needs(post: Post) -> str:
    return "; ".join(
        f"{need.people} × {need.agency}" + (f" ({skill_label(need.skill)})" if need.skill else "")
        for need in post.visible_needs  # type: ignore[attr-defined]
    )


POST_COLUMNS = [
    Column("#", lambda row: row[0].pk),
    Column(gettext_lazy("Kind"), lambda row: row[0].get_kind_display()),
    Column(gettext_lazy("Post"), lambda row: row[0].display_name),
    Column(gettext_lazy("Region"), lambda row: row[0].region),
    Column(gettext_lazy("From"), lambda row: row[0].starts_at),
    Column(gettext_lazy("Until"), lambda row: row[0].ends_at or gettext_lazy("24/7")),
    Column(gettext_lazy("Needs per hour"), lambda row: _needs(row[0])),
    Column(gettext_lazy("On shift"), lambda row: row[1].on_shift),
    Column(gettext_lazy("Needed"), lambda row: row[1].needed),
]

PERSON_COLUMNS = [
    Column("#", lambda p: p.pk),
    Column(gettext_lazy("Last name"), lambda p: p.last_name),
    Column(gettext_lazy("First name"), lambda p: p.first_name),
    Column(gettext_lazy("Number"), lambda p: p.personnel_number),
    Column(gettext_lazy("Agency"), lambda p: p.agency),
    Column(gettext_lazy("Region"), lambda p: p.region),
    Column(gettext_lazy("District"), lambda p: p.district),
    Column(gettext_lazy("Skills"), lambda p: skills_label(p.skills or [])),
    Column(gettext_lazy("Hours/week"), lambda p: p.weekly_hours),
    Column(gettext_lazy("Active"), lambda p: p.active),
]


@login_required
def post_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, Post)
    visible: Any = Post.objects.restrict(request.user, "view").select_related("region")
    filterset = PostFilterSet(params or None, queryset=visible)
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    ordered = queryset.prefetch_related(
        restricted_prefetch(
            request.user,
            "needs",
            PostNeed.objects.select_related("agency"),
            to_attr="visible_needs",
        )
    ).order_by("starts_at", "name", "id")
    if exports.requested(params):
        posts = list(ordered[: exports.MAX_ROWS + 1])
        staffed = queries.staffing(posts)
        rows = [(post, staffed[post.pk]) for post in posts]
        return exports.export(request, rows, POST_COLUMNS, model=Post, stem="posts", params=params)
    page = Paginator(ordered, 50).get_page(params.get("page"))
    staffing = queries.staffing(list(page))
    return render(
        request,
        "duty/posts.html",
        {
            **list_context(request, Post, params),
            "page": page,
            "rows": [(post, staffing[post.pk]) for post in page],
            "filter": filterset,
            "kinds": PostKind.choices(),
            "chosen_kinds": params.getlist("kind"),
        },
    )


@login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post: Post = get_object_or_404(
        Post.objects.restrict(request.user, "view").select_related("region", "facility"), pk=pk
    )
    user = request.user
    shifts = restricted(user, post.shifts).select_related("person").order_by("starts_at")[:200]
    return render(
        request,
        "duty/post.html",
        {
            "post": post,
            "needs": restricted(user, post.needs).select_related("agency"),
            "staffing": queries.staffing([post])[post.pk],
            "shifts": shifts,
        },
    )


def _people(request: HttpRequest) -> Any:
    return Person.objects.restrict(request.user, "view").select_related(
        "agency", "region", "district"
    )


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, Person)
    filterset = PersonFilterSet(params or None, queryset=_people(request))
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    if exports.requested(params):
        return exports.export(
            request,
            queryset,
            PERSON_COLUMNS,
            model=Person,
            stem="personnel",
            params=params,
            read_via="duty:personnel-export",
        )
    page = Paginator(queryset, 50).get_page(params.get("page"))
    audit.record_read(acting_user=request.user, instances=list(page), via="duty:personnel")
    now = timezone.now()
    absent = set(
        Absence.objects.filter(
            person__in=[p.pk for p in page], starts_at__lte=now, ends_at__gt=now
        ).values_list("person_id", flat=True)
    )
    return render(
        request,
        "duty/personnel.html",
        {
            **list_context(request, Person, params),
            "page": page,
            "rows": [(p, p.pk in absent) for p in page],
            "filter": filterset,
            "can_add": not user_scope(request.user, Person, "add").empty,
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(_people(request), pk=pk)
    audit.record_read(acting_user=request.user, instances=[person], via="duty:person")
    can_change = user_scope(request.user, Person, "change").covers(
        person.region_id, person.agency_id
    )
    return render(
        request,
        "duty/person.html",
        {
            "person": person,
            "absences": restricted(request.user, person.absences).order_by("-starts_at")[:50],
            "shifts": restricted(request.user, person.shifts)
            .select_related("post")
            .order_by("-starts_at")[:50],
            "can_change": can_change,
            "can_absence": user_scope(request.user, Absence, "add").covers(
                person.region_id, person.agency_id
            ),
            "form": AbsenceForm(),
            "can_replan": user_scope(request.user, Absence, "add").covers(
                person.region_id, person.agency_id
            )
            and user_scope(request.user, PlanRun, "add").covers(person.region_id),
            "sick_form": SickForm(),
        },
    )


def _person_form(request: HttpRequest, instance: Person | None) -> PersonForm:
    scope = user_scope(request.user, Person, "change" if instance else "add")
    agencies = Agency.objects.order_by("name_en")
    if not scope.everything:
        agencies = agencies.filter(
            pk__in=[
                a.pk
                for a in agencies
                if any(scope.covers(r.pk, a.pk) for r in _regions_of(a, request))
            ]
        )
    districts = District.objects.filter(region__in=regions_in_scope(request.user, Person, "view"))
    return PersonForm(
        request.POST or None, instance=instance, agencies=agencies, districts=districts
    )


def _regions_of(agency: Agency, request: HttpRequest) -> list[Any]:
    if agency.region_id is not None:
        return [agency.region]
    return list(regions_in_scope(request.user, Person, "add"))


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    if user_scope(request.user, Person, "add").empty:
        raise PermissionDenied(_("Your role does not let you add personnel."))
    form = _person_form(request, None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        saved = run_service(
            request,
            lambda: services.create_person(acting_user=request.user, **data),
            _("Person added."),
        )
        if saved is not None:
            return redirect("duty:person", pk=saved.pk)
    return render(request, "duty/person_edit.html", {"form": form, "person": None})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(_people(request), pk=pk)
    if not user_scope(request.user, Person, "change").covers(person.region_id, person.agency_id):
        raise PermissionDenied(_("You may view this person but not change them."))
    form = _person_form(request, Person.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        changed = {k: form.cleaned_data[k] for k in form.changed_data if k in form.cleaned_data}
        saved = run_service(
            request,
            versioned(
                form,
                person,
                lambda fresh: services.update_person(
                    acting_user=request.user, person=fresh, **changed
                ),
            ),
            _("Person saved."),
        )
        if saved is not None:
            return redirect("duty:person", pk=person.pk)
    return render(request, "duty/person_edit.html", {"form": form, "person": person})


@login_required
@require_POST
def absence_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(_people(request), pk=pk)
    if not user_scope(request.user, Absence, "add").covers(person.region_id, person.agency_id):
        raise PermissionDenied(_("Your role does not let you record absences."))
    form = AbsenceForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.add_absence(
                acting_user=request.user, person=person, **form.cleaned_data
            ),
            _("Absence recorded."),
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("duty:person", pk=person.pk)


@login_required
@require_POST
def absence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    absence: Absence = get_object_or_404(
        Absence.objects.restrict(request.user, "view").select_related("person"), pk=pk
    )
    person = absence.person
    if not user_scope(request.user, Absence, "delete").covers(person.region_id, person.agency_id):
        raise PermissionDenied(_("Your role does not let you remove absences."))
    run_service(
        request,
        lambda: services.remove_absence(acting_user=request.user, absence=absence),
        _("Absence removed."),
    )
    return redirect("duty:person", pk=person.pk)


def _decode(upload: Any) -> list[dict[str, Any]]:
    text = upload.read().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@login_required
def person_import(request: HttpRequest) -> HttpResponse:
    """Upload personnel as CSV; all rows are imported or none, each problem named."""
    if user_scope(request.user, Person, "add").empty:
        raise PermissionDenied(_("Your role does not let you add personnel."))
    regions = regions_in_scope(request.user, Person, "add")
    form = PersonnelImportForm(request.POST or None, request.FILES or None, regions=regions)
    result, problems = None, []
    if request.method == "POST" and form.is_valid():
        try:
            rows = _decode(form.cleaned_data["file"])
        except (UnicodeDecodeError, csv.Error):
            problems = [_("The file is not a UTF-8 CSV file.")]
        else:
            try:
                result = services.import_personnel(
                    acting_user=request.user, region=form.cleaned_data["region"], rows=rows
                )
            except ValidationError as error:
                problems = list(error.messages)
    return render(
        request,
        "duty/person_import.html",
        {"form": form, "result": result, "problems": problems},
    )

"""The action plan's pages: the plan with its progress, a measure per region, the
secretariat's edit and evidence upload. Thin: queries compute, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from saqshy.accounts.models import Agency, Region
from saqshy.actionplan import queries, services
from saqshy.actionplan.choices import MeasureStatus
from saqshy.actionplan.evidence import content_type
from saqshy.actionplan.forms import EvidenceForm, MeasureForm, PlanFilterForm, TargetsForm
from saqshy.actionplan.models import Measure
from saqshy.core import exports
from saqshy.core.exports import Column
from saqshy.core.forms import call_showing_errors
from saqshy.core.scoping import restricted, user_scope
from saqshy.core.views import run_service


def _regions(request: HttpRequest) -> Any:
    return Region.objects.restrict(request.user, "view").order_by("name_en")


def _may_change(request: HttpRequest) -> bool:
    return user_scope(request.user, Measure, "change").covers(None)


COLUMNS = [
    Column(gettext_lazy("No."), lambda row: row.measure.code),
    Column(gettext_lazy("Measure"), lambda row: row.measure.title),
    Column(gettext_lazy("Owner"), lambda row: row.measure.owner),
    Column(
        gettext_lazy("Co-executors"),
        lambda row: "; ".join(str(agency) for agency in row.measure.co_executors.all()),
    ),
    Column(pgettext_lazy("action plan", "Deadline"), lambda row: row.measure.deadline),
    Column(gettext_lazy("Status"), lambda row: row.measure.get_status_display()),
    Column(gettext_lazy("Overdue"), lambda row: row.overdue),
    Column(gettext_lazy("Progress"), lambda row: row.progress.text),
    Column(gettext_lazy("Assessment"), lambda row: row.progress.state_label),
    Column(gettext_lazy("Evidence"), lambda row: row.measure.evidence_link),
]


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    form = PlanFilterForm(request.GET or None)
    chosen: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    regions = list(_regions(request))
    region = next((r for r in regions if r.pk == chosen.get("region")), None)
    rows = queries.plan_rows(
        request.user,
        owner=chosen.get("owner"),
        status=chosen.get("status") or "",
        region=region,
        overdue_only=bool(chosen.get("overdue")),
    )
    if exports.requested(request.GET):
        return exports.export(request, rows, COLUMNS, model=Measure, stem="action-plan")
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "actionplan/list.html",
        {
            "rows": rows,
            "overdue_count": sum(1 for row in rows if row.overdue),
            "owners": queries.owners(queries.measures_for(request.user)),
            "regions": regions,
            "region": region,
            "statuses": [*MeasureStatus.choices(), (queries.OVERDUE_FILTER, _("overdue"))],
            "chosen": chosen,
            "can_change": _may_change(request),
            "query": query.urlencode(),
        },
    )


@login_required
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(queries.measures_for(request.user), pk=pk)
    evaluator = queries.Evaluator(request.user)
    can_change = _may_change(request)
    return render(
        request,
        "actionplan/detail.html",
        {
            "measure": measure,
            "national": evaluator.national(measure),
            "regions": evaluator.per_region(measure, _regions(request)),
            "overdue": measure.is_overdue(evaluator.day),
            "status_label": MeasureStatus.label(measure.status),
            "history": queries.history(request.user, measure),
            "can_change": can_change,
            "evidence_form": EvidenceForm(measure=measure) if can_change else None,
        },
    )


def _editable(request: HttpRequest, pk: int) -> Measure:
    measure: Measure = get_object_or_404(queries.measures_for(request.user), pk=pk)
    if not _may_change(request):
        raise PermissionDenied(_("You may view the action plan but not change it."))
    return measure


@login_required
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _editable(request, pk)
    indicators = [(ind.code, str(ind.label)) for ind in queries.indicators_by_code().values()]
    agencies: Any = Agency.objects.restrict(request.user, "view").filter(region=None)
    form = MeasureForm(
        request.POST or None,
        # A second copy: a bound form changes its instance while it validates.
        instance=_editable(request, pk),
        agencies=agencies.order_by("kind", "name_en"),
        indicators=indicators,
    )
    targets = TargetsForm(
        request.POST or None,
        regions=list(_regions(request)),
        current={t.region_id: t.target for t in restricted(request.user, measure.targets)},
    )
    if request.method == "POST" and form.is_valid() and targets.is_valid():
        data = {k: form.cleaned_data[k] for k in form.changed_data if k in services.EDITABLE}
        co = form.cleaned_data["co_executors"] if "co_executors" in form.changed_data else None
        saved = call_showing_errors(
            form,
            lambda: services.update_measure(
                acting_user=request.user,
                measure=measure,
                expected_version=form.expected_version(),
                co_executors=co,
                targets=targets.targets(),
                **data,
            ),
        )
        if saved is not None:
            return redirect("actionplan:detail", pk=measure.pk)
    return render(
        request, "actionplan/edit.html", {"form": form, "targets": targets, "measure": measure}
    )


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _editable(request, pk)
    form = EvidenceForm(request.POST, request.FILES, measure=measure)
    if form.is_valid():
        upload = form.cleaned_data.get("evidence_file")
        run_service(
            request,
            lambda: services.attach_evidence(
                acting_user=request.user,
                measure=measure,
                upload=upload,
                name=upload.name if upload else "",
                size=upload.size if upload else 0,
                link=form.cleaned_data.get("evidence_link", ""),
                expected_version=form.expected_version(),
            ),
            _("Evidence saved."),
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("actionplan:detail", pk=measure.pk)


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """The measure's evidence file, to those who may read the plan."""
    measure = get_object_or_404(queries.measures_for(request.user), pk=pk)
    if not measure.evidence_file:
        raise Http404(_("This measure has no evidence file."))
    try:
        handle = measure.evidence_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The evidence file is missing.")) from None
    name = measure.evidence_name or f"evidence-{measure.code}"
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=content_type(name)
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

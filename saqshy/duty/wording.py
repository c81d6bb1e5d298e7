"""Codes of the duty pages in planners' words: skills, solver statuses, a plan's result.

Skill codes are short stored strings (``heating_fitter``); the known ones get a translated
label, a code nobody has described yet is shown as it is. Solver statuses (``OPTIMAL``,
``FEASIBLE``, ``GREEDY`` …) are CP-SAT's words: planners see what they mean for the plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saqshy.core import messages

SKILLS: dict[str, str | Promise] = {
    "patrol": gettext_lazy("patrol"),
    "driver": gettext_lazy("driver"),
    "traffic": gettext_lazy("traffic control"),
    "escort": gettext_lazy("escort"),
    "public_order": gettext_lazy("public order"),
    "first_aid": gettext_lazy("first aid"),
    "firefighter": gettext_lazy("firefighter"),
    "rescuer": gettext_lazy("rescuer"),
    "paramedic": gettext_lazy("paramedic"),
    "doctor": gettext_lazy("doctor"),
    "electrician": gettext_lazy("electrician"),
    "heating_fitter": gettext_lazy("heating fitter"),
    "plumber": gettext_lazy("plumber"),
}

SOLVER_STATUSES: dict[str, str | Promise] = {
    "OPTIMAL": gettext_lazy("best possible plan"),
    "FEASIBLE": gettext_lazy("good plan, maybe not the best"),
    "GREEDY": gettext_lazy("quick plan (the optimiser ran out of time)"),
    "UNKNOWN": gettext_lazy("no plan found in time"),
    "INFEASIBLE": gettext_lazy("no plan meets every rule"),
    "MODEL_INVALID": gettext_lazy("the planning data is inconsistent"),
}


def skill_label(code: str) -> str:
    """A skill code in the reader's language; an unknown code as stored."""
    return str(SKILLS.get(code, code)) if code else ""


def skills_label(codes: Iterable[str]) -> str:
    return ", ".join(skill_label(code) for code in codes)


def solver_status_label(status: str) -> str:
    return str(SOLVER_STATUSES.get(status, status or "—"))


MOSTLY_STAFFED = 0.1  # up to this share short, the plan is "all staffed except …"


def plan_result(run: Any) -> str:
    """A finished roster run in planners' words, e.g. "All posts staffed except 10
    person-hours; the best possible plan is at most 3 % better."."""
    needed = int(run.needed_hours or 0)
    short = max(0, needed - int(run.staffed_hours or 0))
    if short and short <= needed * MOSTLY_STAFFED:
        staffed = _("All posts staffed except %(hours)s person-hours") % {"hours": short}
    elif short:
        staffed = _("Only %(staffed)s of %(needed)s person-hours staffed") % {
            "staffed": needed - short,
            "needed": needed,
        }
    else:
        staffed = _("All posts staffed")
    status = run.solver_status or ""
    if status == "OPTIMAL":
        quality = _("no better plan exists")
    elif status == "FEASIBLE" and run.gap is not None:
        percent = 100 * float(run.gap)
        if round(percent, 1) == 0:
            quality = _("no better plan exists")
        else:
            quality = _("the best possible plan is at most %(percent)s %% better") % {
                "percent": formats.number_format(percent, 0 if percent >= 1 else 1)
            }
    elif status == "GREEDY":
        quality = _("made by the quick method, a better plan may exist")
    elif status in ("INFEASIBLE", "MODEL_INVALID", "UNKNOWN"):
        quality = solver_status_label(status)
    else:
        quality = ""
    return f"{staffed}; {quality}." if quality else f"{staffed}."


# --- a plan run's progress and result lines, stored as code + params (core.messages) ----------

RUN_QUEUED = messages.define("planrun.queued", gettext_lazy("Queued."))
RUN_READING = messages.define(
    "planrun.reading", gettext_lazy("Reading posts, personnel and absences.")
)
RUN_STAGE_ONE = messages.define(
    "planrun.stage_one", gettext_lazy("Stage one: staffing per post and hour for the region.")
)
RUN_STAGE_ONE_DONE = messages.define(
    "planrun.stage_one_done",
    gettext_lazy("Stage one done: %(coverage).1f %% of the person-hours can be staffed."),
)
RUN_STAGE_TWO = messages.define(
    "planrun.stage_two",
    gettext_lazy("Stage two: the roster of %(district)s (%(n)s of %(total)s)."),
    localized=("district",),
)
RUN_WRITING = messages.define("planrun.writing", gettext_lazy("Writing the roster."))
RUN_PATROLS = messages.define(
    "planrun.patrols", gettext_lazy("Planning patrols from the hotspot forecast.")
)
RUN_DONE = messages.define("planrun.done", gettext_lazy("Done."))
RUN_FAILED = messages.define("planrun.failed", gettext_lazy("The run failed: %(error)s"))
RUN_NOT_QUEUED = messages.define(
    "planrun.not_queued", gettext_lazy("Could not queue the run: %(error)s")
)

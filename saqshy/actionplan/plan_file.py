"""The action plan as a data file the secretariat edits: load it, idempotent by number.

The file (JSON, ``data/actionplan/law-and-order-2026.json``) lists the national agencies the
plan names and its measures: number, title in kk/ru/en, the brief's words, owner and
co-executors (agency codes), period start and deadline (dd.mm.yyyy), indicator code, national
target, status, optional regional targets (region slug → target), evidence link and notes.

Loading checks the whole file first and refuses it naming the measure and the field, changing
nothing; then, in one transaction, creates the measures that are new, updates those that
differ and leaves the rest. The file defines the plan (titles, owners, dates, indicators,
targets); how a measure goes (its status, evidence link and notes) is kept on the pages once
the measure exists, so reloading the file never undoes what the secretariat recorded there:
the file's values for those apply only when it creates the measure. Agencies the plan names
are created when missing (existing ones are left as they are). An indicator code no installed
app declares is loaded with a warning: the page shows it as "not available" until the app
that computes it is installed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from saqshy.accounts.choices import AgencyKind
from saqshy.accounts.models import Agency, Region
from saqshy.actionplan import services
from saqshy.actionplan.choices import MeasureStatus
from saqshy.actionplan.models import CODE_PATTERN, Measure, validate_link
from saqshy.core import services as core_services
from saqshy.core.indicators import registry_indicators

# Recorded on the pages once a measure exists; the file sets them only on creation.
EXECUTION = frozenset({"status", "evidence_link", "notes"})
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
LANGUAGES = ("kk", "ru", "en")


class PlanFileError(ValueError):
    """The file is refused; the message names the measure and the field."""


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    agencies_created: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Row:
    fields: dict[str, Any]
    co_executors: list[str]
    targets: dict[str, float]


def _date(value: Any, where: str) -> dt.date:
    text = str(value or "").strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise PlanFileError(f"{where}: {text!r} is not a date (dd.mm.yyyy)")


def _number(value: Any, where: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise PlanFileError(f"{where}: {value!r} is not a number of zero or more")
    return float(value)


def _text(entry: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise PlanFileError(f"{where}: {key} must be text")
    if required and not value.strip():
        raise PlanFileError(f"{where}: {key} is missing")
    return value.strip()


def _agencies(data: dict[str, Any]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for index, entry in enumerate(data.get("agencies", []), start=1):
        where = f"agency #{index}"
        if not isinstance(entry, dict):
            raise PlanFileError(f"{where}: not an object")
        code = _text(entry, "code", where)
        where = f"agency {code}"
        kind = _text(entry, "kind", where)
        if kind not in AgencyKind.values():
            raise PlanFileError(f"{where}: kind {kind!r} is not one of {AgencyKind.values()}")
        found[code] = {
            "code": code,
            "kind": kind,
            **{f"name_{lang}": _text(entry, f"name_{lang}", where) for lang in LANGUAGES},
        }
    return found


def _row(entry: Any, index: int, known_agencies: set[str], regions: set[str]) -> _Row:
    if not isinstance(entry, dict):
        raise PlanFileError(f"measure #{index}: not an object")
    code = str(entry.get("code", "")).strip()
    if not re.match(CODE_PATTERN, code):
        raise PlanFileError(f"measure #{index}: code {code!r} is not a measure number like 1.4")
    where = f"measure {code}"
    title = entry.get("title")
    if not isinstance(title, dict):
        raise PlanFileError(f"{where}: title must give kk, ru and en")
    fields: dict[str, Any] = {"code": code, "position": index}
    for lang in LANGUAGES:
        fields[f"title_{lang}"] = _text(title, lang, f"{where}: title")
    fields["brief_line"] = _text(entry, "brief_line", where)
    owner = _text(entry, "owner", where)
    co_executors = entry.get("co_executors", [])
    if not isinstance(co_executors, list):
        raise PlanFileError(f"{where}: co_executors must be a list of agency codes")
    for agency in [owner, *co_executors]:
        if agency not in known_agencies:
            raise PlanFileError(f"{where}: owner/co_executors: unknown agency {agency!r}")
    fields["owner"] = owner
    fields["starts_on"] = _date(entry.get("starts_on"), f"{where}: starts_on")
    fields["deadline"] = _date(entry.get("deadline"), f"{where}: deadline")
    if fields["deadline"] < fields["starts_on"]:
        raise PlanFileError(f"{where}: deadline lies before starts_on")
    indicator = _text(entry, "indicator", where, required=False)
    if indicator and not SLUG.match(indicator):
        raise PlanFileError(f"{where}: indicator {indicator!r} is not an indicator code")
    fields["indicator_code"] = indicator
    fields["national_target"] = _number(entry.get("national_target"), f"{where}: national_target")
    status = _text(entry, "status", where, required=False) or MeasureStatus.PLANNED
    if status not in MeasureStatus.values():
        raise PlanFileError(f"{where}: status {status!r} is not one of {MeasureStatus.values()}")
    fields["status"] = status
    link = _text(entry, "evidence_link", where, required=False)
    try:
        validate_link(link)
    except ValidationError as error:
        raise PlanFileError(f"{where}: evidence_link: {' '.join(error.messages)}") from None
    fields["evidence_link"] = link
    fields["notes"] = _text(entry, "notes", where, required=False)
    targets_in = entry.get("targets", {})
    if not isinstance(targets_in, dict):
        raise PlanFileError(f"{where}: targets must map region slugs to numbers")
    targets: dict[str, float] = {}
    for slug, value in targets_in.items():
        if slug not in regions:
            raise PlanFileError(f"{where}: targets: unknown region {slug!r}")
        number = _number(value, f"{where}: targets: {slug}")
        if number is not None:
            targets[slug] = number
    for name, target in [("national_target", fields["national_target"]), *targets.items()]:
        refusal = services.share_target_refusal(indicator, target)
        if refusal:
            raise PlanFileError(f"{where}: {name}: {refusal}")
    return _Row(fields, [str(c) for c in co_executors], targets)


def parse(data: Any) -> tuple[dict[str, dict[str, str]], list[_Row]]:
    """Check the whole file; refuse (``PlanFileError``) naming the measure and the field."""
    if not isinstance(data, dict) or not isinstance(data.get("measures"), list):
        raise PlanFileError("the file must be an object with a list of measures")
    agencies = _agencies(data)
    known = set(agencies) | set(Agency.objects.values_list("code", flat=True))
    regions = set(Region.objects.values_list("slug", flat=True))
    rows = [_row(entry, i, known, regions) for i, entry in enumerate(data["measures"], start=1)]
    codes = [row.fields["code"] for row in rows]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise PlanFileError(f"measure {duplicates[0]}: code: the number appears twice")
    return agencies, rows


def _current(measure: Measure) -> _Row:
    fields = {name: getattr(measure, name) for name in services.EDITABLE}
    fields.update(code=measure.code, position=measure.position, owner=measure.owner.code)
    return _Row(
        fields,
        sorted(a.code for a in measure.co_executors.all()),
        {t.region.slug: t.target for t in measure.targets.select_related("region")},
    )


def _apply(agencies: dict[str, dict[str, str]], rows: list[_Row], result: LoadResult) -> None:
    for code, spec in agencies.items():
        if not Agency.objects.filter(code=code).exists():
            core_services.create(acting_user=None, instance=Agency(region=None, **spec))
            result.agencies_created += 1
    named = {code for row in rows for code in (row.fields["owner"], *row.co_executors)}
    by_code = {a.code: a for a in Agency.objects.filter(code__in=named)}
    regions = {r.slug: r for r in Region.objects.all()}
    existing = {m.code: m for m in Measure.objects.select_related("owner")}
    for row in rows:
        code = row.fields["code"]
        fields = {**row.fields, "owner": by_code[row.fields["owner"]]}
        co = [by_code[c] for c in row.co_executors]
        targets = {regions[slug]: value for slug, value in row.targets.items()}
        try:
            measure = existing.get(code)
            if measure is None:
                measure = services.create_measure(
                    acting_user=None, co_executors=co, check_registry=False, **fields
                )
                services.set_targets(acting_user=None, measure=measure, targets=targets)
                result.created += 1
                continue
            before = _current(measure)
            changes = {
                name: value
                for name, value in fields.items()
                if name != "code"
                and name not in EXECUTION
                and before.fields.get(name) != row.fields[name]
            }
            same_co = before.co_executors == sorted(row.co_executors)
            removed = {regions[s]: None for s in before.targets.keys() - row.targets.keys()}
            if not changes and same_co and before.targets == row.targets:
                result.unchanged += 1
                continue
            services.update_measure(
                acting_user=None,
                measure=measure,
                co_executors=None if same_co else co,
                check_registry=False,
                **changes,
            )
            services.set_targets(acting_user=None, measure=measure, targets={**targets, **removed})
            result.updated += 1
        except ValidationError as error:
            details = (
                "; ".join(
                    f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
                )
                if hasattr(error, "error_dict")
                else " ".join(error.messages)
            )
            raise PlanFileError(f"measure {code}: {details}") from None


def load(data: Any) -> LoadResult:
    """Check and load a parsed file: everything or nothing."""
    agencies, rows = parse(data)
    result = LoadResult()
    declared = {ind.code for ind in registry_indicators()}
    for row in rows:
        code = row.fields["indicator_code"]
        if code and code not in declared:
            result.warnings.append(
                f"measure {row.fields['code']}: indicator {code!r} is not computed by any "
                "installed app; shown as not available"
            )
    with transaction.atomic():
        _apply(agencies, rows, result)
    return result


def load_path(path: Path) -> LoadResult:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise PlanFileError(f"{path}: cannot be read ({error})") from None
    except json.JSONDecodeError as error:
        raise PlanFileError(f"{path}: not valid JSON (line {error.lineno}: {error.msg})") from None
    return load(data)


DEFAULT_PLAN = (
    Path(__file__).resolve().parents[2] / "data" / "actionplan" / "law-and-order-2026.json"
)

"""A record's validation before a write, without the queries that cannot find anything new.

Django's ``full_clean`` looks up every foreign key again (``SELECT 1 … WHERE id = …``) and
checks every unique rule and constraint with a query of its own, on every save. A call on
New Year's Eve went through 17 such queries: the incident's type, region, agency and author,
just read by the service that attached them; on a unit made available again its agency,
region, station and call sign, none of which changed. :func:`validate` is ``full_clean`` with
two exceptions, and otherwise the same checks in the same order:

- **a foreign key set to a row object read from the database** (a form's or a serializer's
  choice, the service's own lookup) is not looked up again, unless its field limits the
  choices (``limit_choices_to``, which the lookup checks);
- **on an update** (``before``: the stored row's ``audit.snapshot``), fields that did not
  change are not checked again, nor the unique rules and constraints that no changed field is
  part of. A rule that joins a changed and an unchanged field is checked whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import CheckConstraint, UniqueConstraint

from saqshy.core import audit


def validate(
    instance: models.Model,
    before: dict[str, Any] | None = None,
    touched: Iterable[str] = (),
    existing: Iterable[str] = (),
) -> None:
    """Validate ``instance`` as ``full_clean`` does (see the module for what is skipped).

    ``touched``: the fields the caller set (names or attnames), checked even when their
    value looks like the stored one (a date given as text reads the same in the snapshot but
    still needs converting). ``existing``: foreign keys whose ids the caller took from rows
    it has just read from the database (never from the request), so they are not looked up
    again; a key with ``limit_choices_to`` still is."""
    meta = instance._meta
    trusted = set(existing)
    skipped: set[str] = {
        field.name
        for field in meta.concrete_fields
        if isinstance(field, models.ForeignKey)
        and not field.get_limit_choices_to()
        and (field.name in trusted or _loaded(instance, field))
    }
    unchecked: set[str] = set()
    if before is not None:
        _old, new = audit.diff(before, audit.snapshot(instance))
        set_by_caller = set(touched)
        changed = {
            field.name
            for field in meta.concrete_fields
            if field.attname in new or {field.name, field.attname} & set_by_caller
        }
        unchanged = {field.name for field in meta.concrete_fields} - changed
        skipped |= unchanged
        unchecked = unchanged - _sharing_a_rule(instance, changed)
    errors: dict[str, Any] = {}
    try:
        instance.clean_fields(exclude=skipped)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    unchecked |= {name for name in errors if name != NON_FIELD_ERRORS}
    try:
        instance.validate_unique(exclude=unchecked)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
        unchecked |= {name for name in errors if name != NON_FIELD_ERRORS}
    try:
        instance.validate_constraints(exclude=unchecked)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _loaded(instance: models.Model, field: Any) -> bool:
    """Whether the foreign key holds a row object that came from the database."""
    related = instance._state.fields_cache.get(field.name)
    return (
        related is not None
        and not related._state.adding
        and related.pk is not None
        and getattr(related, field.target_field.attname) == getattr(instance, field.attname)
    )


def _sharing_a_rule(instance: models.Model, changed: set[str]) -> set[str]:
    """Every field that is part of a unique rule or a constraint with a changed field (all
    fields when a constraint's fields cannot be told)."""
    fields = instance._meta.concrete_fields
    everything = {field.name for field in fields}
    names_of = {**{f.attname: f.name for f in fields}, **{f.name: f.name for f in fields}}

    def referenced(condition: Any) -> set[str]:
        found = getattr(condition, "referenced_base_fields", None)
        return everything if found is None else {names_of.get(name, name) for name in found}

    rules: list[set[str]] = []
    checks: Any = instance._get_unique_checks  # type: ignore[attr-defined]
    unique_checks, date_checks = checks(include_meta_constraints=True)
    rules += [set(names) for _model, names in unique_checks]
    rules += [{name, date_field} for _model, _kind, name, date_field in date_checks]
    for constraint in instance._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and not constraint.expressions:
            names = set(constraint.fields)
            if constraint.condition is not None:
                names |= referenced(constraint.condition)
            rules.append(names)
        elif isinstance(constraint, CheckConstraint):
            rules.append(referenced(constraint.condition))
        else:
            rules.append(everything)
    shared: set[str] = set()
    for names in rules:
        if names & changed:
            shared |= names
    return shared

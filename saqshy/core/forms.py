"""Form building blocks shared by the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms.renderers import DjangoTemplates
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from saqshy.core import versioning
from saqshy.core.exceptions import Conflict

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")


class LabelledField(forms.BoundField):
    """A form field whose label starts with a capital, in every language.

    Labels are translated from lower-case words that also serve mid-sentence ("type",
    "priority", "exercise"); a model field's label is capitalised by Django, a label given to
    a form field is shown as written. Here both read alike, whatever the form.
    """

    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        super().__init__(form, field, name)
        self.label = capfirst(self.label)


class Renderer(DjangoTemplates):
    """The project's form renderer (``FORM_RENDERER``): Django's, with ``LabelledField``."""

    bound_field_class = LabelledField


class VersionedFormMixin(forms.Form):
    """An edit form that remembers which version of the record it showed.

    The hidden ``version`` field carries the record's version (``core.versioning``) from the
    page that was read to the submit; the view passes it to the service, which refuses (412,
    shown as a message) when someone else changed the record meanwhile, instead of silently
    overwriting their change.
    """

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            self.fields["version"].initial = versioning.version_of(instance)

    _expected: str | None = None

    def clean(self) -> dict[str, Any]:
        """Keep the version apart, so ``cleaned_data`` holds only the record's own fields."""
        data: dict[str, Any] = super().clean() or self.cleaned_data
        self._expected = str(data.pop("version", "") or "") or None
        return data

    def expected_version(self) -> str | None:
        """The version the user edited, or None on a form that did not carry one."""
        return self._expected


def versioned(form: VersionedFormMixin, instance: M, write: Callable[[M], T]) -> Callable[[], T]:
    """A call that locks and re-reads ``instance``, refuses (``PreconditionFailed``) if it is no
    longer at the version ``form`` showed, and runs ``write`` on the fresh copy, in one
    transaction: an officer saving a stale form is told instead of overwriting the other change.
    """

    def run() -> T:
        with transaction.atomic():
            return write(versioning.guard(instance, form.expected_version()))

    return run


def call_showing_errors(
    form: forms.BaseForm, call: Callable[[], T], refused: str | None = None
) -> T | None:
    """Run a service call for a page form; its refusals become errors on ``form`` and the
    result is None: a validation error on the field it names (else on the form), a permission
    refusal as its message (or ``refused``), a version conflict as the conflict's words."""
    try:
        return call()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
    except PermissionDenied as error:
        form.add_error(None, str(error) or refused or _("Your role does not allow this."))
    except Conflict as refusal:
        form.add_error(None, refusal.detail)
    return None

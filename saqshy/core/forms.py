"""Form building blocks shared by the pages."""

from __future__ import annotations

from typing import Any

from django import forms

from saqshy.core import versioning


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

    def expected_version(self) -> str | None:
        """The version the user edited, or None on a form that did not carry one."""
        value: str = self.cleaned_data.get("version") or ""
        return value or None

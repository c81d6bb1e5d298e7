"""Every form label starts with a capital letter, in every language (``core.forms.Renderer``)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from saqshy.core.forms import LabelledField

LABEL = re.compile(r"<label[^>]*>(.*?)</label>", re.S)
TAG = re.compile(r"<[^>]+>")


class _Sample(forms.Form):
    kind = forms.CharField(label=_("type"))
    untitled_field = forms.CharField()
    blank = forms.CharField(label="")


def test_a_label_given_in_lower_case_is_shown_capitalised() -> None:
    form = _Sample()
    assert isinstance(form["kind"], LabelledField)
    with translation.override("ru"):
        assert str(form["kind"].label) == "Тип"
        assert ">Тип:</label>" in str(form["kind"].label_tag())
    with translation.override("en"):
        assert str(form["kind"].label) == "Type"
    assert form["untitled_field"].label == "Untitled field"
    assert form["blank"].label == ""


def _labels(html: str) -> list[str]:
    texts = (unescape(TAG.sub("", raw)).strip() for raw in LABEL.findall(html))
    return [text for text in texts if text]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_new_incident_form_has_no_lower_case_label(language: str, client: Any) -> None:
    from saqshy.core.testing.personas import make_personas

    client.force_login(make_personas().dispatcher_astana)
    html = client.get(reverse("incidents:create"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    labels = _labels(html)
    assert len(labels) >= 8, labels
    assert [label for label in labels if label[0].islower()] == []

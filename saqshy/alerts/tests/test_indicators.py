"""``alerts_published``: messages written here and published in the window, per region."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from saqshy.alerts import services
from saqshy.alerts.choices import MsgType
from saqshy.alerts.models import Alert
from saqshy.alerts.tests.factories import draft, published
from saqshy.core.indicators import Figure, indicator
from saqshy.core.testing.indicators import day_figures
from saqshy.core.testing.personas import make_personas

pytestmark = pytest.mark.django_db


def test_alerts_published_counts_published_messages_in_the_window() -> None:
    p = make_personas()
    first = published(p.planner_astana, p.dispatcher_astana, p.astana)
    update = services.follow_up(
        acting_user=p.planner_astana, original=first, msg_type=MsgType.UPDATE
    )
    services.submit(acting_user=p.planner_astana, alert=update)
    services.approve(acting_user=p.dispatcher_astana, alert=update)
    draft(p.planner_astana, p.astana)  # not published
    earlier = published(p.planner_astana, p.dispatcher_astana, p.astana)
    Alert.objects.filter(pk=earlier.pk).update(sent=timezone.now() - dt.timedelta(days=3))
    start = timezone.now() - dt.timedelta(hours=1)
    end = timezone.now() + dt.timedelta(hours=1)
    found = indicator("alerts_published").evaluate([p.astana.pk, p.almaty.pk], start, end)
    assert found == {p.astana.pk: Figure(2), p.almaty.pk: Figure(0)}
    # Day by day as each day's own window counts (the earlier one three days before).
    today = day_figures("alerts_published", [p.astana.pk, p.almaty.pk], timezone.localdate())
    assert today[p.astana.pk].value >= 1
    direct = Alert.objects.filter(
        region=p.astana, source="authored", state="published", sent__gte=start, sent__lt=end
    ).count()
    assert direct == 2

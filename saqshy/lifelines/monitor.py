"""Telemetry against thresholds and the heating curve: the ingest reading handler.

``check_readings`` is registered with ``saqshy.ingest.handlers.register_readings`` and gets
every batch of newly stored readings. Per site (row-locked, so two consumers never judge one
site at once) and in time order, each value of a parameter with a threshold is compared with
its range; a supply temperature (``follows_curve``) also with the heating curve at the outdoor
temperature of that moment. A breach starts a pending alert; when it has lasted the
threshold's minutes the alert is raised and the site's outage opened (once: the open alert and
the open outage are unique per site). Back in range, a pending alert is cleared; a raised one
waits until every raised alert of the site has been in range for the norm
``lifelines_restore_minutes``, and then the outage is restored automatically (its incident
closed). A reading not newer than the alert's last one (a redelivery, a late message) changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from saqshy.accounts.queries import norm
from saqshy.ingest.handlers import ReadingIn
from saqshy.lifelines import queries, services
from saqshy.lifelines.choices import AlertStatus
from saqshy.lifelines.models import Alert, Outage, Threshold, UtilitySite


def bounds(site: UtilitySite, threshold: Threshold, at: dt.datetime) -> tuple[float, float]:
    """The normal range of a threshold's parameter at ``at`` (the curve raises the low end)."""
    low = threshold.low if threshold.low is not None else -math.inf
    high = threshold.high if threshold.high is not None else math.inf
    if threshold.parameter.follows_curve:
        outdoor = queries.outdoor_temperature(site, at)
        if outdoor is not None:
            low = max(low, queries.heating_curve(site.region_id).lowest_allowed(outdoor))
    return low, high


def _expected(low: float, high: float) -> str:
    if math.isinf(low):
        return f"≤ {high:.1f}"
    if math.isinf(high):
        return f"≥ {low:.1f}"
    return f"{low:.1f}–{high:.1f}"


def check_readings(readings: Sequence[ReadingIn], *, acting_user: Any) -> None:
    """The reading handler: judge each site's new readings (see the module docstring)."""
    by_device: dict[int, list[ReadingIn]] = defaultdict(list)
    for reading in readings:
        by_device[reading.device_id].append(reading)
    site_ids = UtilitySite.objects.filter(gateway_id__in=by_device).values_list("pk", "gateway_id")
    for site_id, gateway_id in site_ids:
        rows = sorted(by_device[gateway_id], key=lambda r: (r.at, r.parameter))
        check_site(site_id, rows, acting_user=acting_user)


def check_site(site_id: int, rows: Sequence[ReadingIn], *, acting_user: Any) -> None:
    with transaction.atomic():
        site = (
            UtilitySite.objects.select_for_update(of=("self",))  # not the agency's row
            .select_related("agency")
            .get(pk=site_id)
        )
        thresholds = queries.thresholds_for(site)
        for reading in rows:
            threshold = thresholds.get(reading.parameter)
            if threshold is not None:
                _judge(site, threshold, reading, acting_user)
        if rows:
            _maybe_restore(site, rows[-1].at, acting_user)


def _judge(site: UtilitySite, threshold: Threshold, reading: ReadingIn, acting_user: Any) -> None:
    low, high = bounds(site, threshold, reading.at)
    breach = reading.value < low or reading.value > high
    alert = Alert.objects.filter(site=site, parameter=threshold.parameter, cleared_at=None).first()
    if alert is not None and reading.at <= alert.last_at:
        return
    if breach:
        if alert is None:
            services.start_alert(
                acting_user=acting_user,
                site=site,
                parameter=threshold.parameter,
                value=reading.value,
                expected=_expected(low, high),
                at=reading.at,
            )
            alert = None
        else:
            Alert.objects.filter(pk=alert.pk).update(
                value=reading.value,
                expected=_expected(low, high),
                last_at=reading.at,
                normal_since=None,
            )
            sustained = reading.at - alert.started >= dt.timedelta(minutes=threshold.minutes)
            if alert.status == AlertStatus.PENDING and sustained:
                alert.refresh_from_db()
                services.raise_alert(acting_user=acting_user, alert=alert, at=reading.at)
        return
    if alert is None:
        return
    if alert.status == AlertStatus.PENDING:
        services.clear_alert(acting_user=acting_user, alert=alert, at=reading.at)
        return
    Alert.objects.filter(pk=alert.pk).update(
        last_at=reading.at, normal_since=alert.normal_since or reading.at
    )


def _maybe_restore(site: UtilitySite, at: dt.datetime, acting_user: Any) -> None:
    """Restore the site's open outage when every raised alert has been in range long enough."""
    outage = Outage.objects.filter(site=site, restored_at=None).first()
    if outage is None:
        return
    wait = dt.timedelta(minutes=norm("lifelines_restore_minutes", site.region_id))
    raised = list(Alert.objects.filter(site=site, cleared_at=None, status=AlertStatus.RAISED))
    recovered = all(
        alert.normal_since is not None and alert.last_at - alert.normal_since >= wait
        for alert in raised
    )
    if not raised or not recovered:
        return
    services.restore_outage(acting_user=acting_user, outage=outage, at=at)
    for alert in raised:
        alert.refresh_from_db()
        if alert.cleared_at is None:
            services.clear_alert(acting_user=acting_user, alert=alert, at=at)

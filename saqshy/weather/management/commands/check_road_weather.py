"""``manage.py check_road_weather [--region SLUG] [--since dd.mm.yyyy] [--days N]``: run the
road-weather rules over the real hourly weather and print the warnings they propose."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from saqshy.accounts.models import Region
from saqshy.weather import series, services
from saqshy.weather.models import WeatherWarning


def describe(warning: WeatherWarning) -> str:
    start = timezone.localtime(warning.starts_at).strftime("%d.%m.%Y %H:%M")
    end = timezone.localtime(warning.ends_at).strftime("%d.%m.%Y %H:%M")
    values = []
    if warning.min_temperature_c is not None:
        values.append(_("down to %(t).1f °C") % {"t": warning.min_temperature_c})
    if warning.max_gust_kmh is not None:
        values.append(_("gusts up to %(g).0f km/h") % {"g": warning.max_gust_kmh})
    if warning.snowfall_cm:
        values.append(_("snow %(s).1f cm") % {"s": warning.snowfall_cm})
    return (
        f"{warning.region}: {warning.get_kind_display()}, {warning.get_level_display()}, "
        f"{start} – {end} ({', '.join(values)})"
    )


class Command(BaseCommand):
    help = "Propose weather warnings from the rules over the real hourly weather."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--region", help="region slug (default: every region with weather)")
        parser.add_argument("--since", help="first day, dd.mm.yyyy (default: yesterday)")
        parser.add_argument("--days", type=int, default=3, help="how many days (default 3)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["since"]:
            try:
                day = dt.datetime.strptime(options["since"], "%d.%m.%Y").date()
            except ValueError:
                raise CommandError(_("--since: give a date as dd.mm.yyyy.")) from None
        else:
            day = timezone.localdate() - dt.timedelta(days=1)
        if not 1 <= options["days"] <= 366:
            raise CommandError(_("--days: give a number from 1 to 366."))
        since = timezone.make_aware(dt.datetime.combine(day, dt.time()))
        until = since + dt.timedelta(days=options["days"])
        if options["region"]:
            regions = list(Region.objects.filter(slug=options["region"]))
            if not regions:
                raise CommandError(_("--region: no region %(slug)s.") % {"slug": options["region"]})
        else:
            regions = [r for r in Region.objects.order_by("slug") if series.covers(r)]
        total = 0
        for region in regions:
            if not series.covers(region):
                self.stdout.write(_("%(region)s: no weather series.") % {"region": region})
                continue
            made = services.generate_warnings(
                acting_user=None, region=region, since=since, until=until
            )
            for warning in made:
                self.stdout.write(describe(warning))
            total += len(made)
        expired = services.expire_ended()
        self.stdout.write(
            _("Proposed %(made)s warnings; %(expired)s past warnings expired.")
            % {"made": total, "expired": expired}
        )

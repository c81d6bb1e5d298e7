from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from saqshy.actionplan.plan_file import DEFAULT_PLAN, load_path
from saqshy.core.context import new_request_id, reset_request_id, set_request_id
from saqshy.demo import loader
from saqshy.demo.alarms import load_homes
from saqshy.demo.cameras import load_cameras
from saqshy.demo.duty import load_duty
from saqshy.demo.lifelines import load_lifelines
from saqshy.demo.night import load_morning_report
from saqshy.demo.plans import load_plans
from saqshy.demo.protection import load_protection
from saqshy.demo.season import load_season
from saqshy.demo.trips import load_trips
from saqshy.demo.units import load_units
from saqshy.demo.winter_night import load_winter_night


class Command(BaseCommand):
    help = (
        "Load the demo bundle: 20 regions, agencies, demo users, Astana/Almaty facilities, "
        "the Astana season, its response units and home fire alarms."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cities", default="astana,almaty", help="comma-separated slugs")
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="load even though DEBUG is off (the demo's own `make demo` does)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["not_production"]:
            raise CommandError(
                "load_demo creates superusers with the published demo password; DEBUG is off, "
                "so this looks like production. For a production set-up run `manage.py "
                "load_regions` and `manage.py createsuperuser` instead (docs/deployment.md); "
                "for a demo with DEBUG off, add --i-know-this-is-not-production."
            )
        token = set_request_id(new_request_id("load_demo:"))
        try:
            created, updated = loader.load_regions()
            self.stdout.write(f"regions: {created} created, {updated} updated")
            created, updated = loader.load_districts()
            self.stdout.write(f"districts: {created} created, {updated} updated")
            self.stdout.write(f"people: {loader.load_people()} demo users")
            measures = load_path(DEFAULT_PLAN)
            self.stdout.write(
                f"action plan: {measures.created} created, {measures.updated} updated, "
                f"{measures.unchanged} unchanged"
            )
            for slug in [s for s in options["cities"].split(",") if s]:
                with tqdm(desc=f"facilities {slug}", unit="rec") as bar:
                    result = loader.load_facilities(slug, progress=lambda n: bar.update(n - bar.n))
                self.stdout.write(
                    f"facilities {slug}: {result.created} created, {result.updated} updated, "
                    f"{result.unchanged} unchanged, {result.outside_region} outside"
                )
            if "astana" in options["cities"].split(","):
                season = load_season(say=self.stdout.write)
                if season.skipped:
                    self.stdout.write("season: already loaded")
                guarded = load_protection("astana")
                self.stdout.write(
                    f"protective security astana: {guarded.assessed} venues assessed, "
                    f"{guarded.approved} events approved, open critical finding at "
                    f"{guarded.blocked_venue or '-'}"
                )
                units = load_units("astana")
                self.stdout.write(f"units astana: {sum(units.values())} created {dict(units)}")
                duty = load_duty("astana")
                self.stdout.write(
                    f"duty astana: {duty.districts} districts, {duty.personnel} people and "
                    f"{duty.absences} absences created, posts {duty.posts.created} created "
                    f"{duty.posts.updated} updated {duty.posts.unchanged} unchanged, "
                    f"{duty.readiness} readiness level set"
                )
                with tqdm(desc="home alarms astana", unit="home") as bar:
                    homes = load_homes("astana", progress=lambda done, _n: bar.update(done - bar.n))
                self.stdout.write(
                    "home alarms astana: already installed"
                    if homes.skipped
                    else f"home alarms astana: {homes.homes} sensors in {homes.buildings} "
                    f"buildings, {homes.silent} silent"
                )
                trips = load_trips("astana")
                self.stdout.write(
                    f"trips astana: {trips.created} created, {trips.approved} approved, "
                    f"{trips.blocked} refused for lack of an escort"
                )
                computed = load_plans("astana")
                run = computed.run
                if run is not None:
                    coverage = 100 * (run.coverage or 0)
                    self.stdout.write(
                        f"roster astana: run #{run.pk} {run.status}"
                        f"{' (already computed)' if computed.roster_skipped else ''}, "
                        f"{run.shift_count} shifts, coverage {coverage:.2f} %, "
                        f"{run.gap_spans} short spans, solver {run.solver_status} "
                        f"{run.wall_time_s or 0:.1f} s"
                    )
                plan = computed.patrol_plan
                self.stdout.write(
                    f"patrols astana: plan #{plan.pk}, {plan.crews} crews, {plan.cells} cells"
                    if plan is not None
                    else "patrols astana: no plan (no forecast or no patrol units)"
                )
                lifelines = load_lifelines("astana", say=self.stdout.write)
                self.stdout.write(
                    f"lifelines astana: {lifelines.sites} utility sites "
                    f"({lifelines.created} created), {lifelines.people} people served"
                )
                winter = load_winter_night("astana", say=self.stdout.write)
                self.stdout.write(
                    f"winter night: {winter.segments} highway segments, {winter.closed} of the "
                    "M-36 Astana – Karaganda closed for the blizzard"
                )
                cameras = load_cameras("astana")
                self.stdout.write(
                    f"cameras astana: {cameras.created} created, {cameras.readings} crowd counts "
                    f"added, at the warning norm: {cameras.warning or '-'}"
                )
                night = load_morning_report("astana")
                report = night.report
                self.stdout.write(
                    f"morning report astana {report.day:%d.%m.%Y}: already made"
                    if night.skipped and report is not None
                    else f"morning report astana: New Year's Eve night played, {night.incidents} "
                    f"calls; report #{report.pk if report else '-'} "
                    f"{report.status if report else 'not made'}"
                )
        finally:
            reset_request_id(token)

"""Every list as CSV and XLSX: the page's own rows (filtered, scoped, ordered), formula-looking
text neutralised, numbers and dates as real cells, each export audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from typing import Any

import openpyxl
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.test import RequestFactory, TestCase
from django.urls import reverse
from django.utils import timezone

from saqshy.accounts.models import Agency, Grant, Region, Role, User
from saqshy.alarms.models import Household, Installation, InstallationCampaign
from saqshy.alarms.tests.factories import household, installed, staff
from saqshy.alerts.models import Alert
from saqshy.alerts.tests.factories import make_alert
from saqshy.cameras.models import Camera
from saqshy.cameras.tests.factories import make_camera
from saqshy.core import exports
from saqshy.core.audit_models import AuditEntry
from saqshy.core.exports import Column
from saqshy.core.testing.personas import Personas, make_personas
from saqshy.duty.models import Person, Post
from saqshy.duty.tests.factories import PersonFactory, PostFactory
from saqshy.equipment.models import Hydrant
from saqshy.equipment.tests.factories import HydrantFactory
from saqshy.facilities.models import Facility
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.gatherings.models import Gathering
from saqshy.gatherings.tests.factories import GatheringFactory
from saqshy.incidents.models import Incident, Unit
from saqshy.incidents.tests.factories import IncidentFactory, UnitFactory
from saqshy.inspections.models import Briefing, Drill, Inspection, Violation
from saqshy.inspections.tests.factories import (
    BriefingFactory,
    DrillFactory,
    InspectionFactory,
    ViolationFactory,
)
from saqshy.lifelines.models import Outage, UtilitySite
from saqshy.lifelines.tests.factories import make_site
from saqshy.outreach.models import Campaign as OutreachCampaign
from saqshy.outreach.models import ParentMeeting
from saqshy.outreach.tests import factories as outreach
from saqshy.prevention.models import Campaign
from saqshy.protection.models import Assessment
from saqshy.protection.services import create_assessment
from saqshy.pyrotechnics.models import Outlet, Raid, Seizure
from saqshy.pyrotechnics.tests.factories import OutletFactory, RaidFactory, SeizureFactory
from saqshy.roads.models import Segment
from saqshy.roads.tests.factories import segment_in
from saqshy.trips.models import Trip
from saqshy.trips.tests.factories import TripFactory
from saqshy.weather.models import WeatherWarning
from saqshy.weather.services import create_warning
from saqshy.winter.choices import EquipmentType
from saqshy.winter.models import Standby, StrandedReport, WarmingPoint
from saqshy.winter.tests.factories import make_point, make_standby

EVIL = "=cmd|' /C calc'!A0"
_n = count(1)


def _agency_in(region: Region) -> Agency:
    agency, _ = Agency.objects.get_or_create(
        code=f"police-{region.slug}",
        defaults={"kind": "police", "region": region, "name_en": f"Police {region.slug}"},
    )
    return agency


def _facility(region: Region, name: str = "") -> Facility:
    return FacilityFactory(region=region, **({"name": name} if name else {}))


def _stranded(region: Region, text: str) -> StrandedReport:
    return StrandedReport.objects.create(
        location=text, lat=43.2, lon=76.9, region=region, people=3, reported_at=timezone.now()
    )


def _assessment(region: Region, notes: str) -> Assessment:
    venue = FacilityFactory(region=region, capacity=900)
    return create_assessment(
        acting_user=None, facility=venue, assessed_on=dt.date(2026, 11, 20), notes=notes
    )


def _outage(region: Region, name: str) -> Outage:
    site = make_site(region, n=next(_n))
    return Outage.objects.create(site=site, region=region, agency=site.agency, crew=name)


@dataclass
class Spec:
    """One list page: how to make a record of it in a region, and where its text goes."""

    key: str
    url: str
    model: type[Model]
    make: Callable[[Region, str], Any]
    text_header: str = ""  # the column that shows the text given to make()
    args: tuple[Any, ...] = ()


SPECS = [
    Spec(
        "events",
        "gatherings:list",
        Gathering,
        lambda r, t: GatheringFactory(venue=_facility(r), region=r, name=t),
        "Event",
    ),
    Spec("facilities", "facilities:list", Facility, lambda r, t: _facility(r, t), "Name"),
    Spec("hydrants", "equipment:hydrant-list", Hydrant, lambda r, t: HydrantFactory(region=r)),
    Spec("trips", "trips:list", Trip, lambda r, t: TripFactory(region=r, organiser=t), "Organiser"),
    Spec("posts", "duty:posts", Post, lambda r, t: PostFactory(region=r, name=t)),
    Spec(
        "personnel",
        "duty:personnel",
        Person,
        lambda r, t: PersonFactory(agency=_agency_in(r), region=r, last_name=t),
        "Last name",
    ),
    Spec(
        "violations",
        "inspections:violations",
        Violation,
        lambda r, t: ViolationFactory(
            inspection=InspectionFactory(facility=_facility(r)), description=t
        ),
        "Description",
    ),
    Spec(
        "inspections",
        "inspections:records",
        Inspection,
        lambda r, t: InspectionFactory(facility=_facility(r)),
        args=("inspections",),
    ),
    Spec(
        "briefings",
        "inspections:records",
        Briefing,
        lambda r, t: BriefingFactory(facility=_facility(r), topic=t),
        args=("briefings",),
    ),
    Spec(
        "drills",
        "inspections:records",
        Drill,
        lambda r, t: DrillFactory(facility=_facility(r)),
        args=("drills",),
    ),
    Spec(
        "incidents", "incidents:list", Incident, lambda r, t: IncidentFactory(region=r, address=t)
    ),
    Spec("units", "units:board", Unit, lambda r, t: UnitFactory(region=r, agency=_agency_in(r))),
    Spec(
        "outlets", "pyrotechnics:outlet-list", Outlet, lambda r, t: OutletFactory(region=r, name=t)
    ),
    Spec(
        "raids", "pyrotechnics:raid-list", Raid, lambda r, t: RaidFactory(region=r, team=t), "Team"
    ),
    Spec(
        "seizures",
        "pyrotechnics:seizure-list",
        Seizure,
        lambda r, t: SeizureFactory(outlet=OutletFactory(region=r)),
    ),
    Spec(
        "installations", "alarms:installations", Installation, lambda r, t: installed(household(r))
    ),
    Spec(
        "households",
        "alarms:households",
        Household,
        lambda r, t: household(r, contact_name=t),
        "Contact name",
    ),
    Spec(
        "alarm-campaigns",
        "alarms:campaigns",
        InstallationCampaign,
        lambda r, t: InstallationCampaign.objects.create(
            name=t, region=r, starts_on=dt.date(2026, 12, 1)
        ),
        "Name",
    ),
    Spec(
        "campaigns",
        "prevention:campaigns",
        Campaign,
        lambda r, t: Campaign.objects.create(
            name=t,
            region=r,
            facility_kinds=["school"],
            starts_on=dt.date(2026, 12, 1),
            deadline=dt.date(2026, 12, 25),
        ),
        "Campaign",
    ),
    Spec("outages", "lifelines:outages", Outage, _outage, "Repair crew"),
    Spec(
        "utility-sites",
        "lifelines:sites",
        UtilitySite,
        lambda r, t: make_site(r, n=next(_n)),
    ),
    Spec(
        "outreach-campaigns",
        "outreach:campaigns",
        OutreachCampaign,
        lambda r, t: outreach.campaign(r, title=t),
        "Campaign",
    ),
    Spec(
        "parent-meetings",
        "outreach:meetings",
        ParentMeeting,
        lambda r, t: outreach.meeting(outreach.school(r), held_by=t),
        "Held by",
    ),
    Spec("stranded", "winter:stranded", StrandedReport, _stranded, "Where"),
    Spec(
        "warming-points",
        "winter:points",
        WarmingPoint,
        lambda r, t: make_point(r, t, 43.2, 76.9),
        "Warming point",
    ),
    Spec(
        "standby",
        "winter:standby",
        Standby,
        lambda r, t: make_standby(r, f"SB-{next(_n)}", EquipmentType.TOW_TRUCK, base_name=t),
        "Base",
    ),
    Spec("cameras", "cameras:list", Camera, lambda r, t: make_camera(r, t), "Camera"),
    Spec("road-segments", "roads:segments", Segment, lambda r, t: segment_in(r, t), "Name"),
    Spec(
        "weather-warnings",
        "weather:list",
        WeatherWarning,
        lambda r, t: create_warning(
            acting_user=None,
            region=r,
            kind="blizzard",
            level="red",
            starts_at=dt.datetime(2026, 12, 31, 18, tzinfo=dt.UTC),
            ends_at=dt.datetime(2027, 1, 1, 6, tzinfo=dt.UTC),
            note=t,
        ),
        "Note",
    ),
    Spec("alerts", "alerts:list", Alert, make_alert, "Headline"),
    Spec("protection-assessments", "protection:list", Assessment, _assessment, "Notes"),
]


def read_xlsx(content: bytes) -> list[list[Any]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, so Excel reads Cyrillic"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def grant(username: str, *regions: Region, role: str = "commission-analyst") -> User:
    """A user who views every (non-personal) record in ``regions``."""
    user = User.objects.create_user(username=username, password="pw")
    commission = Agency.objects.get(code="commission")
    for region in regions:
        Grant.objects.create(
            user=user, agency=commission, role=Role.objects.get(slug=role), region=region
        )
    return user


class ListExportTests(TestCase):
    personas: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        p = cls.personas = make_personas()
        cls.staff = staff(p)
        cls.almaty_analyst = grant("analyst_almaty", p.almaty)
        for spec in SPECS:
            spec.make(p.almaty, EVIL)
            spec.make(p.almaty, f"{spec.key} in Almaty")
            spec.make(p.shymkent, f"{spec.key} in Shymkent")

    def url(self, spec: Spec) -> str:
        return reverse(spec.url, args=spec.args)

    def in_region(self, spec: Spec, region: Region) -> int:
        field = getattr(spec.model, "scope_region_field")  # noqa: B009
        return spec.model.objects.filter(**{field: region}).count()

    def test_every_list_exports_the_filtered_rows(self) -> None:
        self.client.force_login(self.personas.admin)
        for spec in SPECS:
            with self.subTest(spec.key):
                url = self.url(spec)
                page = self.client.get(url, {"region": "almaty"})
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, "format=xlsx")
                self.assertContains(page, 'name="region"')
                expected = self.in_region(spec, self.personas.almaty)
                if "page" in page.context and hasattr(page.context["page"], "paginator"):
                    self.assertEqual(page.context["page"].paginator.count, expected)
                response = self.client.get(url, {"region": "almaty", "format": "xlsx"})
                self.assertEqual(response.status_code, 200, response.content[:300])
                self.assertIn(f'filename="{spec.key}-', response["Content-Disposition"])
                rows = read_xlsx(response.content)
                header, body = rows[0], rows[1:]
                self.assertEqual(header[0], "#")
                self.assertEqual(len(body), expected)
                regions = {row[header.index("Region")] for row in body}
                self.assertEqual(regions, {"Almaty"})
                every = read_xlsx(self.client.get(url, {"format": "xlsx", "region": ""}).content)
                self.assertEqual(len(every) - 1, spec.model.objects.count())
                entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
                self.assertEqual(entry.actor_id, self.personas.admin.pk)
                self.assertEqual(entry.after["rows"], spec.model.objects.count())

                response = self.client.get(url, {"region": "almaty", "format": "csv"})
                lines = read_csv(response.content)
                self.assertEqual(lines[0], header)
                self.assertEqual(len(lines) - 1, expected)
                if spec.text_header:
                    column = header.index(spec.text_header)
                    self.assertIn("'" + EVIL, [row[column] for row in body])
                    self.assertIn("'" + EVIL, [row[column] for row in lines[1:]])
                    self.assertNotIn(EVIL, [row[column] for row in body])

    def test_an_export_is_audited_with_user_filter_and_count(self) -> None:
        self.client.force_login(self.personas.admin)
        self.client.get(reverse("gatherings:list"), {"region": "almaty", "format": "csv"})
        entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
        self.assertEqual(entry.actor_id, self.personas.admin.pk)
        self.assertEqual(entry.object_type, "gatherings.gathering")
        self.assertEqual(entry.region_id, self.personas.almaty.pk)
        self.assertEqual(entry.after, {"filters": {"region": "almaty"}, "rows": 2, "format": "csv"})

    def test_another_regions_rows_never_appear(self) -> None:
        self.client.force_login(self.almaty_analyst)
        for spec in SPECS:
            if spec.model is Household:
                continue  # personal data: below, with the social services
            with self.subTest(spec.key):
                for query in ({}, {"region": "shymkent"}):
                    response = self.client.get(self.url(spec), {**query, "format": "xlsx"})
                    rows = read_xlsx(response.content)
                    column = rows[0].index("Region")
                    regions = {row[column] for row in rows[1:]}
                    self.assertLessEqual(regions, {"Almaty"})
                    if not query:
                        self.assertEqual(len(rows) - 1, self.in_region(spec, self.personas.almaty))

    def test_households_export_is_scoped_and_audited_as_a_read(self) -> None:
        social = self.staff["social_almaty"]
        self.client.force_login(social)
        response = self.client.get(reverse("alarms:households"), {"format": "xlsx"})
        rows = read_xlsx(response.content)
        self.assertEqual({row[rows[0].index("Region")] for row in rows[1:]}, {"Almaty"})
        reads = AuditEntry.objects.filter(action=AuditEntry.Action.READ, actor_id=social.pk)
        read = reads.latest("pk")
        self.assertEqual(read.after["via"], "alarms:households-export")
        self.assertEqual(len(read.after["ids"]), len(rows) - 1)

    def test_headers_and_labels_are_in_the_readers_language(self) -> None:
        self.client.force_login(self.personas.admin)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
        response = self.client.get(
            reverse("gatherings:list"), {"format": "xlsx", "region": "almaty"}
        )
        rows = read_xlsx(response.content)
        self.assertIn("Регион", rows[0])
        status = rows[0].index("Статус")
        self.assertEqual({row[status] for row in rows[1:]}, {"Черновик"})

    def test_an_unknown_format_is_refused_naming_the_field(self) -> None:
        self.client.force_login(self.personas.admin)
        before = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count()
        response = self.client.get(reverse("gatherings:list"), {"format": "pdf"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("format", response.content.decode())
        self.assertEqual(AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count(), before)


def _request(query: str) -> Any:
    request = RequestFactory().get("/x/?" + query)
    request.user = AnonymousUser()
    return request


def test_numbers_and_dates_are_real_cells(db: Any) -> None:
    rows = [{"n": -5, "x": -2.5, "day": dt.date(2026, 12, 31), "text": "-5 apples"}]
    columns = [
        Column("N", lambda r: r["n"]),
        Column("X", lambda r: r["x"]),
        Column("Day", lambda r: r["day"]),
        Column("Text", lambda r: r["text"]),
    ]
    response = exports.export(_request("format=xlsx"), rows, columns, model=Region, stem="t")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet is not None
    assert [c.value for c in sheet[2]] == [-5, -2.5, dt.datetime(2026, 12, 31), "'-5 apples"]
    assert sheet["C2"].number_format == "dd.mm.yyyy"
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    response = exports.export(_request("format=csv"), rows, columns, model=Region, stem="t")
    assert read_csv(response.content)[1] == ["-5", "-2.5", "31.12.2026", "'-5 apples"]


def test_a_longer_list_says_it_was_cut(db: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(exports, "MAX_ROWS", 2)
    columns = [Column("N", lambda r: r)]
    response = exports.export(_request("format=csv"), [1, 2, 3], columns, model=Region, stem="t")
    lines = read_csv(response.content)
    assert lines[1:3] == [["1"], ["2"]] and "first 2 rows" in lines[3][0]
    assert response["X-Export-Truncated"] == "2"

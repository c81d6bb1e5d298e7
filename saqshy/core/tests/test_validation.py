"""core.validation: full_clean's checks without the lookups that cannot find anything new; and
versioning.lock, which keeps the rows the caller's copy already holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from saqshy.accounts.models import Region
from saqshy.core import audit, versioning
from saqshy.core.testing.mixins import PersonaTestCase
from saqshy.core.validation import validate
from saqshy.facilities.tests.factories import FacilityFactory
from saqshy.incidents import services
from saqshy.incidents.models import Unit
from saqshy.incidents.tests.factories import UnitFactory, agency
from saqshy.outreach.models import ParentMeeting


def _lookups(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]


class ValidateTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.region = Region.objects.get(slug="astana")
        cls.police = agency("police-astana", region=cls.region)
        cls.unit = UnitFactory(region=cls.region, call_sign="A-1")
        cls.other = UnitFactory(region=cls.region, call_sign="A-2")

    def test_a_loaded_foreign_key_is_not_looked_up_again(self) -> None:
        unit = Unit(call_sign="A-3", kind="patrol_car", agency=self.police, region=self.region)
        with CaptureQueriesContext(connection) as queries:
            validate(unit)
        looked = _lookups(queries)
        self.assertFalse([sql for sql in looked if "accounts_agency" in sql], looked)
        self.assertTrue([sql for sql in looked if "call_sign" in sql], looked)  # unique still

    def test_a_key_given_as_an_id_is_still_looked_up(self) -> None:
        unit = Unit(call_sign="A-3", kind="patrol_car", agency_id=987654, region=self.region)
        with self.assertRaises(ValidationError) as refused:
            validate(unit)
        self.assertIn("agency", refused.exception.message_dict)

    def test_a_key_the_caller_read_is_not_looked_up(self) -> None:
        unit = Unit(call_sign="A-3", kind="patrol_car", agency_id=self.police.pk,
                    region_id=self.region.pk)  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            validate(unit, existing=("agency",))
        looked = _lookups(queries)
        self.assertFalse([sql for sql in looked if "accounts_agency" in sql], looked)
        self.assertTrue([sql for sql in looked if "accounts_region" in sql], looked)

    def test_a_key_that_limits_its_choices_is_looked_up_even_when_loaded(self) -> None:
        hospital: Any = FacilityFactory(region=self.region, kind="hospital")
        meeting = ParentMeeting(school=hospital, region=self.region)
        with self.assertRaises(ValidationError) as refused:
            validate(meeting)
        self.assertIn("school", refused.exception.message_dict)

    def test_an_update_checks_only_what_changed(self) -> None:
        unit = Unit.objects.get(pk=self.unit.pk)
        before = audit.snapshot(unit)
        unit.status = "out_of_service"
        with CaptureQueriesContext(connection) as queries:
            validate(unit, before)
        self.assertEqual(_lookups(queries), [])

    def test_an_invalid_change_is_refused_naming_the_field(self) -> None:
        unit = Unit.objects.get(pk=self.unit.pk)
        before = audit.snapshot(unit)
        unit.status = "flying"
        with self.assertRaises(ValidationError) as refused:
            validate(unit, before)
        self.assertEqual(list(refused.exception.message_dict), ["status"])

    def test_a_changed_field_is_checked_with_the_unchanged_fields_of_its_rule(self) -> None:
        # call_sign changes, agency does not: the pair must still be unique.
        with self.assertRaises(ValidationError):
            services.update_unit(acting_user=None, unit=self.unit, call_sign="A-2")
        self.unit.refresh_from_db()
        self.assertEqual(self.unit.call_sign, "A-1")

    def test_moving_to_an_agency_that_has_the_call_sign_is_refused(self) -> None:
        fire = agency("des-astana", kind="fire", region=self.region)
        UnitFactory(region=self.region, agency=fire, call_sign="A-1")
        with self.assertRaises(ValidationError):
            services.update_unit(acting_user=None, unit=self.unit, agency=fire)
        self.unit.refresh_from_db()
        self.assertEqual(self.unit.agency_id, self.police.pk)


class LockKeepsRelatedTests(PersonaTestCase):
    """versioning.lock: the rows the caller's copy already holds are not read again."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.region = Region.objects.get(slug="astana")
        cls.unit = UnitFactory(region=cls.region, call_sign="L-1")

    def test_an_unchanged_key_keeps_the_callers_row(self) -> None:
        read = Unit.objects.select_related("agency").get(pk=self.unit.pk)
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            locked = versioning.lock(read)
            self.assertIs(locked.agency, read.agency)
        self.assertFalse([q for q in queries.captured_queries if "accounts_agency" in q["sql"]])

    def test_a_changed_key_reads_the_new_row(self) -> None:
        read = Unit.objects.select_related("agency").get(pk=self.unit.pk)
        fire = agency("des-astana", kind="fire", region=self.region)
        Unit.objects.filter(pk=self.unit.pk).update(agency=fire)
        with transaction.atomic():
            self.assertEqual(versioning.lock(read).agency, fire)


class TouchedFieldsTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.unit = UnitFactory(region=Region.objects.get(slug="astana"), call_sign="T-1")
        Unit.objects.filter(pk=cls.unit.pk).update(position_at="2026-12-05T10:00:00+00:00")

    def test_a_field_the_caller_set_is_converted_even_if_it_reads_as_stored(self) -> None:
        unit = Unit.objects.get(pk=self.unit.pk)
        before = audit.snapshot(unit)
        unit.position_at = unit.position_at.isoformat()
        validate(unit, before, touched=["position_at"])
        self.assertIsInstance(unit.position_at, dt.datetime)

    def test_an_update_validates_what_it_was_given(self) -> None:
        with self.assertRaises(ValidationError) as refused:
            services.update_unit(acting_user=None, unit=self.unit, crew="", kind="flying")
        self.assertEqual(list(refused.exception.message_dict), ["kind"])

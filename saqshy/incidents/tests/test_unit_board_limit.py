"""The unit board at national size: each (status, kind) shows its first units, counts the rest,
and the query count does not grow with the units."""

from __future__ import annotations

from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saqshy.core.testing.personas import Personas, make_personas
from saqshy.incidents.tests.factories import UnitFactory


class UnitBoardLimitTests(TestCase):
    personas: Personas

    @classmethod
    def setUpTestData(cls) -> None:
        cls.personas = make_personas()

    def _board(self) -> tuple[str, int]:
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(reverse("units:board"))
        self.assertEqual(response.status_code, 200)
        return response.content.decode(), len(captured)

    def test_groups_show_their_first_units_and_count_the_rest(self) -> None:
        p = self.personas
        self.client.force_login(p.analyst_national)
        for n in range(5):
            UnitFactory(region=p.astana, call_sign=f"P-{n}")
        UnitFactory(region=p.almaty, call_sign="F-1", kind="foot_patrol")
        with mock.patch("saqshy.incidents.views.BOARD_GROUP_LIMIT", 2):
            self._board()
            page, queries = self._board()
            self.assertEqual(page.count('class="unit"'), 3)  # 2 patrol cars + 1 foot patrol
            self.assertIn('data-more="3"', page)
            self.assertIn('data-unit-count="available">6<', page)
            for n in range(20):
                UnitFactory(region=p.almaty, call_sign=f"Q-{n}")
            page, more_queries = self._board()
        self.assertEqual(page.count('class="unit"'), 3)
        self.assertIn('data-more="23"', page)
        self.assertEqual(queries, more_queries)

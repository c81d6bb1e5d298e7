"""The public page: no login, kk/ru/en, and nothing personal or internal on it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from saqshy.alerts.tests.factories import draft, published
from saqshy.core.testing.personas import make_personas
from saqshy.roads import services as roads
from saqshy.roads.tests.factories import make_segment, person
from saqshy.winter.tests.factories import make_point

pytestmark = pytest.mark.django_db


@pytest.fixture
def night() -> dict[str, Any]:
    p = make_personas()
    road = make_segment(
        1,
        2,
        p.astana,
        name="Astana – Karaganda",
        name_kk="Астана – Қарағанды",
        name_ru="Астана – Караганда",
        number="M-36",
    )
    names = {k: getattr(road, k) for k in ("name", "name_kk", "name_ru", "number")}
    further = make_segment(2, 4, p.almaty, **names)
    authority = person("road_officer_zhaksylyk", "transport", "duty-officer", None)
    now = timezone.now()
    for segment in (road, further):
        roads.close_segment(
            acting_user=authority,
            segment=segment,
            status="closed",
            reason="blizzard",
            note="Crew of Lt. Secret reports drifts",
            starts_at=now,
            expected_reopening_at=now + dt.timedelta(hours=8),
        )
    make_point(p.astana, "School No. 1 of Arshaly", 50.85, 72.17, capacity=120, occupancy=64)
    make_point(p.astana, "Closed club", 50.80, 72.10, is_open=False)
    published(p.planner_astana, p.dispatcher_astana, p.astana)
    hidden = draft(p.planner_astana, p.astana)
    hidden.infos.filter(language="en-US").update(headline="Draft that nobody approved")
    return {"p": p, "road": road, "authority": authority}


def _page(client: Any, **query: str) -> str:
    response = client.get(reverse("public:page"), query)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public") or "public" in response["Cache-Control"]
    return response.content.decode()


def test_no_login_and_three_languages(client: Any, night: dict[str, Any]) -> None:
    english = _page(client, lang="en")
    assert "Astana – Karaganda" in english and "Blizzard, snow drifts" in english
    assert "Severe blizzard on the Astana – Karaganda road" in english
    assert "School No. 1 of Arshaly" in english and "56 free places" in english
    russian = _page(client, lang="ru")
    assert "Астана – Караганда" in russian and "Сильная метель" in russian
    assert "56 свободных мест" in russian and 'lang="ru"' in russian
    kazakh = _page(client, lang="kk")
    assert "Астана – Қарағанды" in kazakh and "Астана – Қарағанды жолында қатты боран" in kazakh
    assert "56 бос орын" in kazakh


def test_a_road_closed_across_segments_and_regions_is_one_entry(
    client: Any, night: dict[str, Any]
) -> None:
    page = _page(client, lang="en")
    roads = page[page.index('id="roads"') : page.index('id="warming"')]
    assert roads.count("<article") == 1
    assert "Astana" in roads and "Almaty" in roads


def test_nothing_personal_or_internal(client: Any, night: dict[str, Any]) -> None:
    page = _page(client, lang="en")
    p = night["p"]
    for secret in ("Lt. Secret", "Closed club", "Draft that nobody approved"):
        assert secret not in page
    for user in (p.planner_astana, p.dispatcher_astana, night["authority"]):
        assert user.username not in page and (user.last_name or "@@") not in page
    assert "csrfmiddlewaretoken" not in page


def test_region_filter_and_bad_input(client: Any, night: dict[str, Any]) -> None:
    elsewhere = _page(client, lang="en", region="shymkent")
    assert "Astana – Karaganda" not in elsewhere and "School No. 1 of Arshaly" not in elsewhere
    assert "All highways are open" in elsewhere
    # An unknown region or language is not an error: the whole country, the default language.
    page = _page(client, lang="xx", region="<script>")
    assert "Astana – Karaganda" in page or "Астана – Қарағанды" in page
    assert "<script>" not in page
    assert client.get(reverse("public:page"), {"region": "a\x00"}).status_code == 400

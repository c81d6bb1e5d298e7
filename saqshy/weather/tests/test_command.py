"""``check_road_weather`` proposes the real warnings of a window once and names bad input."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saqshy.core.testing.geography import make_region
from saqshy.weather.models import WeatherWarning

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("check_road_weather", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_real_blizzard_and_adds_it_once() -> None:
    make_region("astana")
    printed = run("--region", "astana", "--since", "29.12.2023", "--days", "1")
    assert "Blizzard, Red: take action, 29.12.2023 06:00 – 29.12.2023 22:00" in printed
    assert "gusts up to 84 km/h" in printed
    count = WeatherWarning.objects.count()
    assert count >= 1
    again = run("--region", "astana", "--since", "29.12.2023", "--days", "1")
    assert "Proposed 0 warnings" in again
    assert WeatherWarning.objects.count() == count


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("--since", "2023-12-29"), "--since"),
        (("--region", "nowhere"), "--region"),
        (("--days", "0"), "--days"),
    ],
)
def test_bad_options_are_named(args: tuple[str, ...], named: str) -> None:
    with pytest.raises(CommandError, match=named):
        run(*args)

"""``manage.py count_people`` on a small synthetic video: CSV rows, a range, bad input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import cv2
import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


@pytest.fixture
def video(tmp_path: Path) -> Path:
    """30 frames of 160x120: a textured background, then from frame 11 a bright upright
    rectangle walking across it."""
    path = tmp_path / "walk.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"FFV1"), 10, (160, 120))
    background = np.random.default_rng(3).integers(60, 120, (120, 160, 3), dtype=np.uint8)
    for step in range(30):
        frame = background.copy()
        if step >= 10:
            left = 4 * step - 30
            frame[60:100, left : left + 12] = (230, 210, 40)
        writer.write(frame)
    writer.release()
    return path


def test_writes_frame_and_count_rows(video: Path, tmp_path: Path) -> None:
    out = tmp_path / "counts.csv"
    call_command("count_people", str(video), "--out", str(out), stderr=io.StringIO())
    rows = list(csv.DictReader(out.open()))
    assert [int(r["frame"]) for r in rows] == list(range(1, 31))
    assert float(rows[-1]["count"]) == pytest.approx(1.0, abs=0.3)
    assert all(len(r["count"].split(".")[1]) == 2 for r in rows)


def test_a_range_goes_to_stdout(video: Path) -> None:
    stdout = io.StringIO()
    call_command(
        "count_people", str(video), "--frames", "5-10", stdout=stdout, stderr=io.StringIO()
    )
    lines = stdout.getvalue().splitlines()
    assert lines[0] == "frame,count"
    assert [int(line.split(",")[0]) for line in lines[1:]] == [5, 6, 7, 8, 9, 10]


@pytest.mark.parametrize(
    ("frames", "message"),
    [
        ("10-5", "end must not be before"),
        ("0-3", "numbered from 1"),
        ("x", "A-B"),
        ("20-40", "ended at frame 30"),
    ],
)
def test_a_bad_range_writes_nothing(video: Path, tmp_path: Path, frames: str, message: str) -> None:
    out = tmp_path / "counts.csv"
    with pytest.raises(CommandError, match=message):
        call_command(
            "count_people", str(video), "--frames", frames, "--out", str(out), stderr=io.StringIO()
        )
    assert not out.exists()
    assert list(tmp_path.glob("*.part")) == []


def test_an_unreadable_video_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot open video"):
        call_command("count_people", str(tmp_path / "missing.avi"), stderr=io.StringIO())

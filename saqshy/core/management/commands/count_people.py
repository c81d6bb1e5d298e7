"""``manage.py count_people VIDEO [--frames A-B] [--out FILE.csv]``: people per frame of a video.

Writes CSV ``frame,count`` (frames numbered from 1; ``count`` the smoothed estimate rounded to
2 decimals: it is an estimate from foreground area, and its fractions carry information when
averaged over a minute). Everything is counted before anything is written, so a bad video or
range writes nothing. Progress goes to stderr every 100 frames.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import cv2
from django.core.management.base import BaseCommand, CommandError, CommandParser

from saqshy.algorithms.vision import count_video

RANGE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")


def parse_range(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    match = RANGE.match(text)
    if not match:
        raise CommandError(f"--frames must look like A-B (e.g. 401-795), got {text!r}")
    first, last = int(match.group(1)), int(match.group(2))
    if first < 1 or last < first:
        raise CommandError(
            f"--frames {text}: frames are numbered from 1 and the end must not be before the start"
        )
    return first, last


class Command(BaseCommand):
    help = "Count people per frame of a video file or stream URL; CSV frame,count."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("video", help="a video file or an rtsp/http URL")
        parser.add_argument("--frames", help="inclusive 1-based range A-B (earlier frames warm up)")
        parser.add_argument("--out", help="CSV file to write (default: stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        cv2.setNumThreads(1)
        frames = parse_range(options["frames"])
        target = Path(options["out"]) if options["out"] is not None else None
        if target is not None and not target.parent.is_dir():
            raise CommandError(f"--out {target}: folder {target.parent} does not exist")
        rows: list[tuple[int, float]] = []
        try:
            for result in count_video(options["video"], frames):
                rows.append((result.frame, round(result.count, 2)))
                if result.frame % 100 == 0:
                    self.stderr.write(f"frame {result.frame}")
        except ValueError as error:
            raise CommandError(str(error)) from error
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["frame", "count"])
        writer.writerows((frame, f"{count:.2f}") for frame, count in rows)
        if target is None:
            self.stdout.write(buffer.getvalue(), ending="")
            return
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".csv.part")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(buffer.getvalue())
        os.replace(temporary, target)
        self.stderr.write(f"{len(rows)} frames written to {target}")

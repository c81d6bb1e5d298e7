"""``manage.py analyse_camera CAMERA [--source VIDEO] [--frames A-B] [--every S] [--follow]``.

Counts people in a camera's watched area from its stream (or ``--source``, a file or URL) and
stores a density reading every ``--every`` seconds of video; a critical density opens the
crowd-density incident (``saqshy.cameras.services.record_count``). Without ``--follow`` it
stops at the end of the stream; with it, it reconnects after a pause whenever the stream
ends or fails, until stopped (SIGTERM / Ctrl-C), as one worker process per camera.
"""

from __future__ import annotations

from typing import Any

import cv2
from django.core.management.base import BaseCommand, CommandError, CommandParser

from saqshy.cameras.analytics import analyse
from saqshy.cameras.models import Camera
from saqshy.core.management.commands.count_people import parse_range
from saqshy.core.worker import Stop, run, worker_name


class Command(BaseCommand):
    help = "Count people in a camera's watched area and store crowd-density readings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("camera", type=int, help="the camera's number (id)")
        parser.add_argument("--source", help="a video file or URL instead of the camera's stream")
        parser.add_argument("--frames", help="inclusive 1-based range A-B (earlier frames warm up)")
        parser.add_argument(
            "--every", type=float, default=10.0, help="seconds of video per reading"
        )
        parser.add_argument(
            "--follow", action="store_true", help="reconnect and go on until stopped"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cv2.setNumThreads(1)
        camera = Camera.objects.filter(pk=options["camera"]).first()
        if camera is None:
            raise CommandError(f"camera {options['camera']} does not exist")
        frames = parse_range(options["frames"])
        if options["every"] <= 0:
            raise CommandError("--every must be a positive number of seconds")

        def once() -> int:
            camera.refresh_from_db()
            done = analyse(camera, source=options["source"], frames=frames, every=options["every"])
            self.stdout.write(
                f"camera {camera.pk}: {len(done.frames)} frames, {len(done.readings)} readings"
            )
            return len(done.readings)

        if options["follow"]:
            stop = Stop().on_signals()
            run(once, name=worker_name("cameras"), idle_seconds=5.0, error_seconds=10.0, stop=stop)
            return
        try:
            once()
        except ValueError as error:
            raise CommandError(str(error)) from error

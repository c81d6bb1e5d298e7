"""``manage.py task_worker``: ``db_worker`` (the background-task queue) with health endpoints.

Everything ``db_worker`` takes, plus ``--health-port`` (``saqshy.core.health``): ``/healthz``
answers while the process runs, ``/readyz`` while the database answers too. The production
layout (``Procfile``) runs this; ``db_worker`` alone still works.
"""

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands import db_worker

from saqshy.core import health


class Command(db_worker.Command):
    help = "Run queued background tasks (db_worker), answering /healthz and /readyz."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        health.add_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        port = options.pop("health_port")
        if port:
            health.serve(port, process="task_worker", alive={}, ready={"database": health.database})
        super().handle(*args, **options)

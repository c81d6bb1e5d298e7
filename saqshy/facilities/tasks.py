"""Background work of the facilities app: an OpenStreetMap file uploaded in the admin.

``run_osm_import(import_id)`` reads the stored file (progress 0-60 %), imports the
facilities (60-95 %), writes the basemap and road graph, and closes the import as done with
its counts, or failed with the reason. The uploaded file is deleted afterwards either way.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from saqshy.algorithms.osm import OsmReadError
from saqshy.core.context import new_request_id, reset_request_id, set_request_id
from saqshy.facilities import osm_import
from saqshy.facilities.choices import ImportStatus
from saqshy.facilities.models import OsmImport

logger = logging.getLogger(__name__)

READ_SHARE = 60
IMPORT_SHARE = 35


@task()
def run_osm_import(import_id: int) -> dict[str, Any]:
    """The background task: see the module docstring."""
    return execute(import_id)


def execute(import_id: int) -> dict[str, Any]:
    job = OsmImport.objects.select_related("region", "requested_by").get(pk=import_id)
    if job.finished:
        return {"import": job.pk, "status": job.status}
    osm_import.note(
        job.pk, 1, _("Reading the file."), status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    shown = {"percent": 1}

    def advance(base: int, share: int, message: str) -> osm_import.Progress:
        def report(done: int, total: int) -> None:
            percent = base + (share * done // total if total else 0)
            if percent > shown["percent"]:
                shown["percent"] = percent
                osm_import.note(job.pk, percent, message)

        return report

    path = Path(job.stored_path)
    token = set_request_id(new_request_id("osm_import:"))
    try:
        outcome = osm_import.import_extract(
            acting_user=job.requested_by,
            region=job.region,
            path=path,
            reading=advance(0, READ_SHARE, _("Reading the file.")),
            importing=advance(READ_SHARE, IMPORT_SHARE, _("Importing facilities.")),
        )
    except (OsmReadError, ValidationError) as error:
        reason = "; ".join(getattr(error, "messages", [str(error)]))
        osm_import.finish(job.pk, ImportStatus.FAILED, reason)
        return {"import": job.pk, "status": ImportStatus.FAILED}
    except Exception as error:
        logger.exception("OSM import %s failed", job.pk)
        osm_import.finish(
            job.pk, ImportStatus.FAILED, _("The import failed: %(error)s") % {"error": error}
        )
        raise
    finally:
        reset_request_id(token)
        path.unlink(missing_ok=True)
    result = outcome.result
    summary = {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "outside_region": result.outside_region,
        "per_kind": dict(result.per_kind),
    }
    message = (
        _(
            "%(created)s facilities created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(outside_region)s outside the region."
        )
        % summary
    )
    osm_import.finish(job.pk, ImportStatus.DONE, message, summary)
    return {"import": job.pk, "status": ImportStatus.DONE, **summary}

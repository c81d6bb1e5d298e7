"""Importing one OpenStreetMap extract into a region: facilities, basemap and road graph.

Shared by ``manage.py import_osm`` and the admin's upload (``tasks.run_osm_import``), so both
refuse the same things the same way: a region without a boundary would take no facility (all
would fall outside it) and is refused before the file is read, naming the fix.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saqshy.accounts.models import Region
from saqshy.accounts.roads import save_graph
from saqshy.algorithms.osm import basemap_features, read_osm
from saqshy.core import audit
from saqshy.core import services as core_services
from saqshy.facilities import services
from saqshy.facilities.choices import ImportStatus
from saqshy.facilities.models import OsmImport
from saqshy.facilities.services import ImportResult

Progress = Callable[[int, int], None]


def write_basemap(region: Region, features: list[dict[str, Any]]) -> Path:
    """Replace the region's imported basemap file atomically."""
    folder = settings.VAR_DIR / "basemap"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{region.slug}.geojson.gz"
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    collection = {"type": "FeatureCollection", "features": features}
    with gzip.open(partial, "wt", encoding="utf-8") as handle:
        json.dump(collection, handle, separators=(",", ":"))
    partial.replace(target)
    return target


def require_boundary(region: Region) -> None:
    """Refuse a region that has no boundary, saying how to give it one."""
    if not region.boundary:
        raise ValidationError(
            {
                "region": [
                    _(
                        "The region %(region)s has no boundary, so every facility would fall "
                        "outside it. Upload one in the admin (Regions → %(region)s → "
                        "boundary) or load it with `manage.py load_regions FILE`."
                    )
                    % {"region": region.slug}
                ]
            }
        )


@dataclasses.dataclass
class Outcome:
    result: ImportResult
    basemap: Path | None
    graph: str


def import_extract(
    *,
    acting_user: Any,
    region: Region,
    path: Path,
    basemap: bool = True,
    reading: Progress | None = None,
    importing: Progress | None = None,
) -> Outcome:
    """Read ``path`` (an .osm.pbf file or a folder of OSM QA tiles) and import it into
    ``region``. Raises ``ValidationError`` for a region without a boundary and
    ``OsmReadError`` for an unreadable file, before anything is written."""
    require_boundary(region)
    extract = read_osm(path, progress=reading)
    records = [dataclasses.asdict(record) for record in extract.facilities]
    total = len(records)
    result = services.import_facilities(
        acting_user=acting_user,
        region=region,
        records=records,
        progress=(lambda done: importing(done, total)) if importing else None,
    )
    written = write_basemap(region, basemap_features(extract)) if basemap else None
    graph = save_graph(region, extract.roads)
    return Outcome(result, written, str(graph))


def upload_folder() -> Path:
    return Path(settings.VAR_DIR) / "uploads" / "osm"


def request_import(*, acting_user: Any, region: Region, upload: Any) -> OsmImport:
    """Store an uploaded .osm.pbf and queue its import; refused (nothing stored) for a region
    without a boundary."""
    require_boundary(region)
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"{region.slug}-{stamp}.osm.pbf"
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    job = OsmImport(
        region=region,
        file_name=str(upload.name)[:255],
        stored_path=str(target),
        requested_by=acting_user if getattr(acting_user, "pk", None) else None,
        message=str(_("Queued.")),
    )
    with transaction.atomic():
        job = core_services.create(acting_user=acting_user, instance=job)
        job_id = job.pk
        transaction.on_commit(lambda: enqueue(job_id))
    return job


def enqueue(job_id: int) -> None:
    """Hand the import to the task queue and note the task's id."""
    from saqshy.facilities.tasks import run_osm_import

    try:
        queued = run_osm_import.enqueue(job_id)
    except Exception as error:  # the queue is down: say so on the import instead of losing it
        finish(job_id, ImportStatus.FAILED, str(_("Could not queue: %(e)s") % {"e": error}))
        return
    OsmImport.objects.filter(pk=job_id, task_id="").update(task_id=str(queued.id)[:64])


def note(job_id: int, percent: int, message: str, **fields: Any) -> None:
    """Progress of a running import, in its own small write."""
    OsmImport.objects.filter(pk=job_id).update(
        progress=max(0, min(100, percent)),
        message=message[:500],
        updated_at=timezone.now(),
        **fields,
    )


def finish(job_id: int, status: str, message: str, result: dict[str, Any] | None = None) -> None:
    """Close the import as done or failed; audited as a change of its status."""
    with transaction.atomic():
        job = OsmImport.objects.select_for_update().get(pk=job_id)
        before = {"status": job.status}
        job.status = status
        job.progress = 100 if status == ImportStatus.DONE else job.progress
        job.message = message[:500]
        job.result = result or {}
        job.finished_at = timezone.now()
        job.save()
        after = {"status": job.status, "message": job.message}
        audit.record(
            acting_user=job.requested_by,
            changes=[audit.Change("update", job, job.region_id, before=before, after=after)],
        )

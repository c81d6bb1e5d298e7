"""A finished run's stored rows (gaps, summary, changes) in the reader's language.

The worker stores codes, ids and the English names of the moment; a page or an API answer
shows the names of agencies, districts and posts in the language of the request.
"""

from __future__ import annotations

from typing import Any

from saqshy.accounts.models import Agency, District
from saqshy.duty.models import PlanRun, Post


def in_reader_language(run: PlanRun) -> tuple[list[dict[str, Any]], dict[str, Any], Any]:
    """The run's stored gaps, summary and changes with names in the reader's language: the
    worker stored codes, ids and English names; agency, district and post names are looked
    up again here (``agency_name``, ``post_name``, ``name``). Codes (agency, skill, status)
    stay as stored for the API; the pages label them."""
    agencies = {
        a.code: a.display_name
        for a in Agency.objects.filter(
            code__in={row.get("agency") for row in [*run.gaps, *run.summary.get("agencies", [])]}
        )
    }
    districts = {
        d.slug: d.display_name
        for d in District.objects.filter(
            slug__in={row.get("district") for row in run.summary.get("districts", [])}
        )
    }
    changes = run.changes or {}
    change_rows = [*changes.get("added_rows", []), *changes.get("removed_rows", [])]
    post_ids = {row.get("post") for row in [*run.gaps, *change_rows] if row.get("post")}
    posts = {p.pk: p.display_name for p in Post.objects.filter(pk__in=post_ids)}

    def named(row: dict[str, Any]) -> dict[str, Any]:
        out = dict(row)
        if row.get("agency") in agencies:
            out["agency_name"] = agencies[row["agency"]]
            if "needed_hours" in row and "district" not in row:
                out["name"] = agencies[row["agency"]]
        if row.get("post") in posts:
            out["post_name"] = posts[row["post"]]
        if "district" in row and row.get("district") in districts and "people" in row:
            out["name"] = districts[row["district"]]
        return out

    gaps = [named(row) for row in run.gaps]
    summary = {
        **run.summary,
        "agencies": [named(row) for row in run.summary.get("agencies", [])],
        "districts": [named(row) for row in run.summary.get("districts", [])],
    }
    if changes:
        changes = {
            **changes,
            "added_rows": [named(row) for row in changes.get("added_rows", [])],
            "removed_rows": [named(row) for row in changes.get("removed_rows", [])],
        }
    return gaps, summary, changes

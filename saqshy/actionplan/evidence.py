"""Evidence files for the action plan: a report, a protocol, a table or a photo.

Checked before anything is stored: at most ``MAX_BYTES``, a name ending in one of the
accepted types, and content that starts as that type does (a PDF with ``%PDF``, a Word or
Excel file as a ZIP, a JPEG or PNG with their signatures), so a renamed program is refused.
Stored under ``MEDIA_ROOT`` but served only by the measure's evidence page to signed-in users.
"""

from __future__ import annotations

from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024

# extension → (content type, accepted leading bytes)
TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_type(name: str) -> str:
    found = TYPES.get(extension(name))
    return found[0] if found else "application/octet-stream"


def check(upload: IO[bytes], *, name: str, size: int, field: str = "evidence_file") -> str:
    """Refuse (``ValidationError`` on ``field``) a file too large or of a type not accepted;
    the file's extension otherwise."""
    if size > MAX_BYTES:
        raise ValidationError(
            {field: [_("An evidence file may be at most %(mb)s MB.") % {"mb": MAX_BYTES // 2**20}]}
        )
    if size == 0:
        raise ValidationError({field: [_("The file is empty.")]})
    ext = extension(name)
    refused = ValidationError(
        {field: [_("Only PDF, Word (.docx), Excel (.xlsx), JPEG or PNG files are accepted.")]}
    )
    if ext not in TYPES:
        raise refused
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in TYPES[ext][1]):
        raise refused
    return ext

"""Photo evidence from a phone, made safe to keep: checked, shrunk and stripped of metadata.

A phone photo carries the inspector's GPS position, the device and its serial number in EXIF.
Re-encoding the decoded pixels into a fresh JPEG keeps none of that; the orientation EXIF
held is applied to the pixels first so the photo still stands upright.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_DIMENSION = 2048
# A decompression bomb is a small file that decodes to a huge image; refuse before decoding.
MAX_PIXELS = 50_000_000
# MPO is how Pillow names the multi-picture JPEG many phone cameras write.
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
JPEG_QUALITY = 85


@dataclass(frozen=True)
class CleanPhoto:
    """A photo ready to store: JPEG bytes without metadata and their pixel size."""

    content: bytes
    width: int
    height: int


def clean(upload: IO[bytes], *, size: int, field: str = "photos") -> CleanPhoto:
    """Check that ``upload`` is a photo of acceptable size and re-encode it.

    Refuses (``ValidationError`` on ``field``) a file over ``MAX_UPLOAD_BYTES``, anything
    Pillow does not recognise as a JPEG, PNG or WebP image, and images over ``MAX_PIXELS``.
    The result is at most ``MAX_DIMENSION`` pixels on its longer side.
    """
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {field: [_("A photo may be at most %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20}]}
        )
    not_a_photo = ValidationError({field: [_("Only JPEG, PNG or WebP photos are accepted.")]})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise not_a_photo
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError({field: [_("The photo has too many pixels.")]})
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_a_photo from None
    rgb = upright.convert("RGB")
    rgb.thumbnail((MAX_DIMENSION, MAX_DIMENSION), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif=, no icc_profile=: nothing of the original file's metadata is written.
    rgb.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return CleanPhoto(out.getvalue(), rgb.width, rgb.height)

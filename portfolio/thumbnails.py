"""Small JPEGs of evidence pictures, made once on the worker when the picture is uploaded.

The unit PDF (exports/unit_pdf.py) only ever reads these: decoding the original took most of a
PDF's time and, for a large PNG, most of its memory (eight 40-megapixel PNGs, 1.4 MB in all, made
a 13.6 s, 855 MB PDF). A thumbnail is kept beside its picture in the same private storage, under
the picture's own name, so it is exactly as private (no URL leads to it) and goes where it goes.
This lives in portfolio, where the upload is, so portfolio needs nothing from exports.
"""

import io
import logging
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image

from .file_types import PILLOW_FORMATS
from .models import EvidenceFile
from .uploads import DEFAULT_MAX_IMAGE_PIXELS

THUMBNAIL_PIXELS = 480
logger = logging.getLogger(__name__)


def has_thumbnail(evidence_file: EvidenceFile) -> bool:
    """Whether the picture gets a thumbnail: the kinds Pillow decodes (not HEIC)."""
    return evidence_file.content_type in PILLOW_FORMATS


def thumbnail_name(evidence_file: EvidenceFile) -> str:
    """Where a picture's thumbnail is kept: beside the picture. Stored files are never changed, so
    a thumbnail made once stays right; the size is in the name in case it changes."""
    return f"{evidence_file.file.name}.thumbnail-{THUMBNAIL_PIXELS}.jpg"


def stored_thumbnail(evidence_file: EvidenceFile) -> bytes | None:
    """The kept thumbnail, or None while it is being made (or after a restore, which makes them again)."""
    storage = evidence_file.file.storage
    try:
        with storage.open(thumbnail_name(evidence_file), "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def make_thumbnail(evidence_file: EvidenceFile) -> bool:
    """Makes and keeps the picture's thumbnail unless it is kept already (the task may run twice:
    enqueued by the upload and again by a PDF that found none). True if one was made."""
    storage = evidence_file.file.storage
    name = thumbnail_name(evidence_file)
    if not has_thumbnail(evidence_file) or storage.exists(name):
        return False
    thumbnail = _thumbnail(evidence_file)
    saved = storage.save(name, ContentFile(thumbnail))
    if saved != name:  # another worker kept it first, and storage gave ours another name
        storage.delete(saved)
    return True


def _thumbnail(evidence_file: EvidenceFile) -> bytes:
    """A JPEG within THUMBNAIL_PIXELS either way. A JPEG decodes at 1/2, 1/4 or 1/8 of its size
    (draft), asked for the thumbnail's own shape so a 4:3 camera photo decodes at 1/8. Other
    formats decode whole: at most the upload's pixel limit (40 million) times 4 bytes, checked
    here again before decoding, so a worker's memory is bounded (160 MB for the largest PNG)."""
    limit = getattr(settings, "EVIDENCE_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)
    formats = [PILLOW_FORMATS[evidence_file.content_type]]
    with warnings.catch_warnings(), evidence_file.file.open("rb") as handle, Image.open(handle, formats=formats) as image:
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the limit below is ours
        width, height = image.size
        if width * height > limit:
            raise ValueError(f"Evidence file {evidence_file.pk} has {width}x{height} pixels, past the limit")
        image.draft("RGB", _fitted(image.size))  # only JPEG acts on it
        image.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
        rgb = image.convert("RGB")
        buffer = io.BytesIO()
        rgb.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _fitted(size: tuple[int, int]) -> tuple[int, int]:
    """The size of the thumbnail: within THUMBNAIL_PIXELS either way, the picture's shape kept."""
    width, height = size
    scale = min(1.0, THUMBNAIL_PIXELS / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))

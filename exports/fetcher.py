"""The only way WeasyPrint may read anything while rendering a portfolio.

It fetches nothing from the network and no file by path: only the project's own print
stylesheet and thumbnails of the evidence images of the one portfolio being rendered, named by
`portfolio:` URLs that this module makes. Everything else, `file:///etc/passwd` and `http://`
included, is refused, so text a candidate wrote can never make the renderer read something else.
"""

import io
import logging
from collections.abc import Iterable
from concurrent.futures import Executor, Future
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image
from weasyprint.urls import URLFetcher, URLFetcherResponse

from portfolio.models import EvidenceFile

STYLESHEET_URL = "portfolio://static/print.css"
_STYLESHEET = Path(settings.BASE_DIR) / "templates" / "pdf" / "print.css"
THUMBNAIL_PIXELS = 480

logger = logging.getLogger(__name__)


def thumbnail_url(evidence_file: EvidenceFile) -> str:
    return f"portfolio://thumbnail/{evidence_file.pk}"


class PortfolioFetcher(URLFetcher):
    def __init__(self, evidence_file_ids: set[int], thumbnails: dict[int, Future[bytes]] | None = None):
        super().__init__(allowed_protocols=["portfolio"])
        self.allowed_files = evidence_file_ids
        self.thumbnails = thumbnails or {}  # by file id, under way since before the render
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url == STYLESHEET_URL:
            return URLFetcherResponse(url, _STYLESHEET.read_bytes(), {"Content-Type": "text/css"})
        prefix = "portfolio://thumbnail/"
        if url.startswith(prefix) and url[len(prefix):].isdigit():
            file_id = int(url[len(prefix):])
            if file_id in self.allowed_files:
                started = self.thumbnails.get(file_id)
                if started is not None:
                    thumbnail = started.result()
                else:
                    thumbnail = thumbnail_of(EvidenceFile.objects.get(pk=file_id))
                return URLFetcherResponse(url, thumbnail, {"Content-Type": "image/jpeg"})
        self.refused.append(url)
        raise ValueError(f"The portfolio renderer fetches nothing from {url!r}.")


def start_thumbnails(pool: Executor, evidence_files: list[EvidenceFile]) -> dict[int, Future[bytes]]:
    """Starts getting thumbnails of these photos in `pool`, by file id. Decoding a camera photo is
    most of the time a PDF takes for it, and Pillow lets go of the interpreter lock while it
    decodes, so the photos decode on the other cores while the render goes on. Only storage is
    read there, never the database."""
    return {f.pk: pool.submit(thumbnail_of, f) for f in evidence_files}


def thumbnail_name(evidence_file: EvidenceFile) -> str:
    """Where a photo's thumbnail is kept: beside the photo, as private as it is. Stored files are
    never changed, so a thumbnail made once stays right; the size is in the name in case it changes."""
    return f"{evidence_file.file.name}.thumbnail-{THUMBNAIL_PIXELS}.jpg"


def thumbnail_of(evidence_file: EvidenceFile) -> bytes:
    """The photo's thumbnail: made on the first render that shows the photo and kept, so later
    renders (the same unit again, a bulk export, another unit citing the same evidence) read 25 kB
    instead of decoding a 3 MB photo. Keyed by the stored file, not its SHA-256: two uploads of
    the same bytes each have their own, like their photos. Only submitted evidence, which is kept
    for good, is ever rendered (drafts, the only evidence that can be deleted, never are), so no
    thumbnail outlives its photo. Not backed up: a restored installation makes them again.
    Keeping it is a saving only: if storage refuses, the PDF is made all the same."""
    storage = evidence_file.file.storage
    name = thumbnail_name(evidence_file)
    if storage.exists(name):
        with storage.open(name, "rb") as handle:
            return handle.read()
    thumbnail = _thumbnail(evidence_file)
    try:
        saved = storage.save(name, ContentFile(thumbnail))
        if saved != name:  # another render kept it first, and storage gave ours another name
            storage.delete(saved)
    except OSError:
        logger.warning("Could not keep the thumbnail of evidence file %s.", evidence_file.pk, exc_info=True)
    return thumbnail


def forget_thumbnails(evidence_files: Iterable[EvidenceFile]) -> None:
    """Removes the kept thumbnails of these files (the benchmark measures a first render with none)."""
    for evidence_file in evidence_files:
        name = thumbnail_name(evidence_file)
        if evidence_file.file.storage.exists(name):
            evidence_file.file.storage.delete(name)


def _thumbnail(evidence_file: EvidenceFile) -> bytes:
    """A small JPEG of an evidence photo: the PDF never carries a camera-sized image."""
    with evidence_file.file.open("rb") as handle, Image.open(handle) as image:
        # A JPEG decodes at 1/2, 1/4 or 1/8 of its size, the smallest that still covers what is
        # asked for; asked for the thumbnail's own shape rather than a square, a 4:3 camera photo
        # decodes at 1/8, not 1/4: a quarter of the pixels, most of the time a PDF spends on photos.
        image.draft("RGB", _fitted(image.size))
        rgb = image.convert("RGB")
        rgb.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
        buffer = io.BytesIO()
        rgb.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _fitted(size: tuple[int, int]) -> tuple[int, int]:
    """The size of the thumbnail: within THUMBNAIL_PIXELS either way, the photo's shape kept."""
    width, height = size
    scale = min(1.0, THUMBNAIL_PIXELS / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))

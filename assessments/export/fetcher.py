"""The only way WeasyPrint may read anything while rendering a portfolio.

It fetches nothing from the network and no file by path: only the project's own print
stylesheet and thumbnails of the evidence images of the one portfolio being rendered, named by
`portfolio:` URLs that this module makes. Everything else, `file:///etc/passwd` and `http://`
included, is refused, so text a candidate wrote can never make the renderer read something else.
"""

import io
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from PIL import Image
from weasyprint.urls import URLFetcher, URLFetcherResponse

from portfolio.models import EvidenceFile

STYLESHEET_URL = "portfolio://static/print.css"
_STYLESHEET = Path(settings.BASE_DIR) / "templates" / "pdf" / "print.css"
THUMBNAIL_PIXELS = 480


def thumbnail_url(evidence_file: EvidenceFile) -> str:
    return f"portfolio://thumbnail/{evidence_file.pk}"


class PortfolioFetcher(URLFetcher):
    def __init__(self, evidence_file_ids: set[int], thumbnails: dict[int, bytes] | None = None):
        super().__init__(allowed_protocols=["portfolio"])
        self.allowed_files = evidence_file_ids
        self.thumbnails = thumbnails or {}  # made beforehand (`thumbnails_of`), by file id
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url == STYLESHEET_URL:
            return URLFetcherResponse(url, _STYLESHEET.read_bytes(), {"Content-Type": "text/css"})
        prefix = "portfolio://thumbnail/"
        if url.startswith(prefix) and url[len(prefix):].isdigit():
            file_id = int(url[len(prefix):])
            if file_id in self.allowed_files:
                thumbnail = self.thumbnails.get(file_id) or _thumbnail(EvidenceFile.objects.get(pk=file_id))
                return URLFetcherResponse(url, thumbnail, {"Content-Type": "image/jpeg"})
        self.refused.append(url)
        raise ValueError(f"The portfolio renderer fetches nothing from {url!r}.")


def thumbnails_of(evidence_files: list[EvidenceFile]) -> dict[int, bytes]:
    """Thumbnails of these photos by file id, made two or more at a time: decoding a camera photo
    is most of the time a PDF takes for it, and Pillow lets go of the interpreter lock while it
    decodes, so the cores decode side by side. Only storage is read here, never the database."""
    if not evidence_files:
        return {}
    workers = max(1, min(4, os.cpu_count() or 1, len(evidence_files)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(zip([f.pk for f in evidence_files], pool.map(_thumbnail, evidence_files), strict=True))


def _thumbnail(evidence_file: EvidenceFile) -> bytes:
    """A small JPEG of an evidence photo: the PDF never carries a camera-sized image."""
    with evidence_file.file.open("rb") as handle, Image.open(handle) as image:
        # A JPEG decodes at 1/2, 1/4 or 1/8 of its size, the smallest that still covers what is
        # asked for; asked for the thumbnail's own shape rather than a square, a 4:3 camera photo
        # decodes at 1/8, not 1/4: a quarter of the pixels, most of the time a PDF spends on photos.
        image.draft("RGB", _fitted(image.size))
        image = image.convert("RGB")
        image.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _fitted(size: tuple[int, int]) -> tuple[int, int]:
    """The size of the thumbnail: within THUMBNAIL_PIXELS either way, the photo's shape kept."""
    width, height = size
    scale = min(1.0, THUMBNAIL_PIXELS / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))

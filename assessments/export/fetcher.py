"""The only way WeasyPrint may read anything while rendering a portfolio.

It fetches nothing from the network and no file by path: only the project's own print
stylesheet and thumbnails of the evidence images of the one portfolio being rendered, named by
`portfolio:` URLs that this module makes. Everything else, `file:///etc/passwd` and `http://`
included, is refused, so text a candidate wrote can never make the renderer read something else.
"""

import io
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
    def __init__(self, evidence_file_ids: set[int]):
        super().__init__(allowed_protocols=["portfolio"])
        self.allowed_files = evidence_file_ids
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url == STYLESHEET_URL:
            return URLFetcherResponse(url, _STYLESHEET.read_bytes(), {"Content-Type": "text/css"})
        prefix = "portfolio://thumbnail/"
        if url.startswith(prefix) and url[len(prefix):].isdigit():
            file_id = int(url[len(prefix):])
            if file_id in self.allowed_files:
                return URLFetcherResponse(url, _thumbnail(file_id), {"Content-Type": "image/jpeg"})
        self.refused.append(url)
        raise ValueError(f"The portfolio renderer fetches nothing from {url!r}.")


def _thumbnail(file_id: int) -> bytes:
    """A small JPEG of an evidence photo: the PDF never carries a camera-sized image."""
    evidence_file = EvidenceFile.objects.get(pk=file_id)
    with evidence_file.file.open("rb") as handle, Image.open(handle) as image:
        image.draft("RGB", (THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))  # JPEGs decode at a smaller size
        image = image.convert("RGB")
        image.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()

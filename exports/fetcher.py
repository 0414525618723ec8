"""The only way WeasyPrint may read anything while rendering a portfolio.

It fetches nothing from the network and no file by path: only the project's own print
stylesheet and the kept thumbnails of the evidence pictures of the one portfolio being rendered,
named by `portfolio:` URLs that this module makes. Everything else, `file:///etc/passwd` and
`http://` included, is refused, so text a candidate wrote can never make the renderer read
something else. A PDF never decodes a picture itself: portfolio makes each thumbnail on the
worker when the picture is uploaded (portfolio/thumbnails.py); a picture whose thumbnail is not
made yet shows as a box saying so.
"""

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from weasyprint.urls import URLFetcher, URLFetcherResponse

from portfolio.models import Evidence, EvidenceFile
from portfolio.tasks import make_evidence_thumbnail
from portfolio.thumbnails import has_thumbnail, stored_thumbnail, thumbnail_name

STYLESHEET_URL = "portfolio://static/print.css"
_STYLESHEET = Path(settings.BASE_DIR) / "templates" / "pdf" / "print.css"
_THUMBNAIL_PREFIX = "portfolio://thumbnail/"
READERS = 4  # thumbnails read at once: from object storage each read is a round trip


def thumbnail_url(evidence_file: EvidenceFile) -> str:
    return f"{_THUMBNAIL_PREFIX}{evidence_file.pk}"


@dataclass
class Pictures:
    """The evidence pictures of one portfolio, as its PDF shows them."""

    thumbnails: dict[int, bytes] = field(default_factory=dict)  # kept thumbnail, by file id
    preparing: set[int] = field(default_factory=set)  # file ids whose thumbnail the worker is making

    @property
    def urls(self) -> dict[int, str]:
        return {pk: f"{_THUMBNAIL_PREFIX}{pk}" for pk in self.thumbnails}


def kept_pictures(evidence_list: Iterable[Evidence]) -> Pictures:
    """Reads the kept thumbnails of the current pictures of this evidence. A picture without one
    (uploaded a moment ago, or restored from a backup, which keeps no thumbnails) is asked of the
    worker again, once the request's transaction has committed; the task does nothing twice."""
    files = [f for evidence in evidence_list for f in evidence.files.all() if f.is_current and has_thumbnail(f)]
    if not files:
        return Pictures()
    with ThreadPoolExecutor(max_workers=min(READERS, len(files))) as pool:
        kept = dict(zip((f.pk for f in files), pool.map(stored_thumbnail, files), strict=True))
    pictures = Pictures({pk: thumbnail for pk, thumbnail in kept.items() if thumbnail is not None})
    for evidence_file in files:
        if evidence_file.pk not in pictures.thumbnails:
            pictures.preparing.add(evidence_file.pk)
            transaction.on_commit(partial(make_evidence_thumbnail.enqueue, evidence_file.pk))
    return pictures


class PortfolioFetcher(URLFetcher):
    def __init__(self, thumbnails: dict[int, bytes]):
        super().__init__(allowed_protocols=["portfolio"])
        self.thumbnails = thumbnails  # the only pictures this render may show, by file id
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url == STYLESHEET_URL:
            return URLFetcherResponse(url, _STYLESHEET.read_bytes(), {"Content-Type": "text/css"})
        file_id = url[len(_THUMBNAIL_PREFIX):]
        if url.startswith(_THUMBNAIL_PREFIX) and file_id.isdigit() and int(file_id) in self.thumbnails:
            return URLFetcherResponse(url, self.thumbnails[int(file_id)], {"Content-Type": "image/jpeg"})
        self.refused.append(url)
        raise ValueError(f"The portfolio renderer fetches nothing from {url!r}.")


def forget_thumbnails(evidence_files: Iterable[EvidenceFile]) -> None:
    """Removes the kept thumbnails of these files (the benchmark measures making them)."""
    for evidence_file in evidence_files:
        name = thumbnail_name(evidence_file)
        if evidence_file.file.storage.exists(name):
            evidence_file.file.storage.delete(name)

"""The answer that carries an evidence file's bytes, once the download view has decided who may have
them and how (portfolio/views/files.py): streamed from storage, whole or the part a Range header
asks for; left to nginx (X-Accel-Redirect); or a redirect to a signed link on object storage. Every
one carries headers that stop a browser running or keeping anything in the file.

Two ways to leave sending the bytes to something else, after the same permission check and audit:
- behind nginx, with PORTFOLIO_ACCEL_REDIRECT_PREFIX set, an empty body and X-Accel-Redirect naming
  the file under nginx's `internal` location (docs/serving.md); nginx answers Range requests itself;
- on object storage, with PORTFOLIO_S3_REDIRECT_DOWNLOADS set, a download (never a file shown in our
  own pages) is a redirect to a link signed for a minute (portfolio/storage_urls.py; docs/production.md
  says what that trades away); the store answers Range requests itself."""

from typing import cast
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from .byte_ranges import RangeNotSatisfiable, read_range, requested_range
from .file_types import Display
from .models import EvidenceFile
from .storage_urls import signed_url
from .thumbnails import has_thumbnail, stored_thumbnail

# Even a file that slipped past the upload checks cannot run a script or load anything.
FILE_POLICY = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"
FILE_RESPONSE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": FILE_POLICY,
    "Cache-Control": "private, no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Referrer-Policy": "no-referrer",
}
# A PDF shown on the evidence page is a frame of it: the one answer our own pages may frame. The
# site's X-Frame-Options: DENY would refuse it, so this answer says SAMEORIGIN, and frame-ancestors
# 'self' (which browsers obey before X-Frame-Options) keeps every other site from framing it.
FRAMED_PDF_HEADERS = {
    "Content-Security-Policy": f"{FILE_POLICY}; frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
}


def file_response(request: HttpRequest, evidence_file: EvidenceFile, *, inline: bool) -> HttpResponseBase:
    """The file itself: shown in the browser (`inline`, only for kinds the browser draws or plays,
    file_types.shown_inline) or offered as a download."""
    inline = inline and evidence_file.shows_inline
    name, content_type = evidence_file.original_name, evidence_file.content_type
    # Only downloads are redirected: a photo or video shown in our own pages stays on our origin,
    # which is all their Content-Security-Policy lets them load from.
    if settings.PORTFOLIO_S3_REDIRECT_DOWNLOADS and not inline:
        url = signed_url(evidence_file.file, filename=name, content_type=content_type, as_attachment=True)
        if url is not None:
            redirect = HttpResponseRedirect(url)
            # Neither the signed link nor the page it was asked from may be kept or passed on.
            redirect["Cache-Control"] = "private, no-store"
            redirect["Referrer-Policy"] = "no-referrer"
            return redirect
    response: HttpResponseBase
    if settings.PORTFOLIO_ACCEL_REDIRECT_PREFIX:
        response = HttpResponse(content_type=content_type)
        response["Content-Disposition"] = _disposition(inline, name)
        response["X-Accel-Redirect"] = settings.PORTFOLIO_ACCEL_REDIRECT_PREFIX + quote(evidence_file.file.name or "")
    else:
        response = _streamed(request, evidence_file, inline)
    return protected(response, framed=inline and evidence_file.display == Display.PDF)


def preview_response(evidence_file: EvidenceFile) -> HttpResponseBase | None:
    """The picture's kept thumbnail (portfolio/thumbnails.py), or None while it is being made."""
    thumbnail = stored_thumbnail(evidence_file) if has_thumbnail(evidence_file) else None
    if thumbnail is None:
        return None
    response = HttpResponse(thumbnail, content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    return protected(response)


def protected(response: HttpResponseBase, *, framed: bool = False) -> HttpResponseBase:
    for header, value in (FILE_RESPONSE_HEADERS | (FRAMED_PDF_HEADERS if framed else {})).items():
        response[header] = value
    return response


def _streamed(request: HttpRequest, evidence_file: EvidenceFile, inline: bool) -> HttpResponseBase:
    """Streamed by this process: the whole file, or the one range asked for (206), or 416."""
    file_field, name, content_type = evidence_file.file, evidence_file.original_name, evidence_file.content_type
    size = file_field.storage.size(file_field.name or "")
    try:
        wanted = requested_range(request.headers.get("Range"), size, if_range=request.headers.get("If-Range"))
    except RangeNotSatisfiable:
        refused = HttpResponse(status=416, content_type="text/plain")
        refused["Content-Range"] = f"bytes */{size}"
        refused["Accept-Ranges"] = "bytes"
        return refused
    response: HttpResponseBase
    if wanted is None:
        response = FileResponse(file_field.open("rb"), as_attachment=not inline, filename=name, content_type=content_type)
    else:
        response = StreamingHttpResponse(read_range(file_field, wanted), status=206, content_type=content_type)
        response["Content-Range"] = wanted.content_range(size)
        response["Content-Length"] = str(wanted.length)
        response["Content-Disposition"] = _disposition(inline, name)
    response["Accept-Ranges"] = "bytes"
    return response


def _disposition(inline: bool, name: str) -> str:
    return cast(str, content_disposition_header(not inline, name))  # a file always has a name

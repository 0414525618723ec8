"""Evidence files leave only through here: to the people on the candidate's case, streamed from
private storage, with headers that stop a browser running or caching anything in them.

A file a standing sign-off rests on, whose last check found it changed (`portfolio.signed_files`),
is not served at once: a page says so first, with a link to download it anyway.

Two ways to leave sending the bytes to something else, after the same permission check and audit:
- behind nginx, with PORTFOLIO_ACCEL_REDIRECT_PREFIX set, an empty body and X-Accel-Redirect naming
  the file under nginx's `internal` location (docs/serving.md);
- on object storage, with PORTFOLIO_S3_REDIRECT_DOWNLOADS set, a redirect to a link signed for a
  minute (portfolio/storage_urls.py; docs/production.md says what that trades away)."""

import datetime
from typing import cast
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import EvidenceFile, Person

from .. import access, audit, signed_files
from ..audit import PortfolioAction
from ..models import AuditEvent
from ..storage_urls import signed_url

FILE_RESPONSE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # Even a file that slipped past the upload checks cannot run a script or load anything.
    "Content-Security-Policy": (
        "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"
    ),
    "Cache-Control": "private, no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Referrer-Policy": "no-referrer",
}


@require_safe
def evidence_file_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    evidence_file = access.evidence_file_for_user(request.user, pk)
    evidence = evidence_file.evidence
    if not request.GET.get("anyway"):
        changes = signed_files.changes_since_signed(evidence_file)
        if changes:
            return _changed_since_signed(request, evidence_file, changes)
    as_attachment = not evidence_file.shows_inline or bool(request.GET.get("download"))
    response = _response(evidence_file, as_attachment)
    if request.user.pk != evidence.candidate_id and not _seen_lately(request.user, evidence_file):
        # Someone other than the candidate has seen their personal data: the trail says who.
        # A photo shown on a page is fetched at every visit; one event an hour per person and
        # file says all the trail needs without burying the decisions in repeats.
        audit.record(
            PortfolioAction.FILE_DOWNLOADED,
            actor=request.user,
            centre=evidence.centre,
            evidence=evidence,
            summary=f"{evidence.reference} file “{evidence_file.original_name}” downloaded by {request.user}",
            after={"file": evidence_file.original_name, "sha256": evidence_file.sha256},
        )
    return response


def _changed_since_signed(
    request: AuthenticatedHttpRequest, evidence_file: EvidenceFile, changes: list[signed_files.SignedFileChange]
) -> HttpResponse:
    """Said before the bytes are served: what is downloaded is not what the unit was signed off on."""
    anyway = request.GET.copy()
    anyway["anyway"] = "1"
    return render(
        request,
        "portfolio/evidence_file_changed.html",
        {"evidence_file": evidence_file, "evidence": evidence_file.evidence, "changes": changes,
         "anyway": f"{request.path}?{anyway.urlencode()}"},
    )


def _response(evidence_file: EvidenceFile, as_attachment: bool) -> HttpResponseBase:
    name, content_type = evidence_file.original_name, evidence_file.content_type
    # Only downloads are redirected: a photo or video shown in our own pages stays on our origin,
    # which is all their Content-Security-Policy lets them load from.
    if settings.PORTFOLIO_S3_REDIRECT_DOWNLOADS and as_attachment:
        url = signed_url(evidence_file.file, filename=name, content_type=content_type, as_attachment=True)
        if url is not None:
            redirect = HttpResponseRedirect(url)
            # Neither the signed link nor the page it was asked from may be kept or passed on.
            redirect["Cache-Control"] = "private, no-store"
            redirect["Referrer-Policy"] = "no-referrer"
            return redirect
    response: HttpResponse | FileResponse
    if settings.PORTFOLIO_ACCEL_REDIRECT_PREFIX:
        response = HttpResponse(content_type=content_type)
        response["Content-Disposition"] = cast(str, content_disposition_header(as_attachment, name))  # a file always has a name
        response["X-Accel-Redirect"] = settings.PORTFOLIO_ACCEL_REDIRECT_PREFIX + quote(
            evidence_file.file.name
        )
    else:
        response = FileResponse(
            evidence_file.file.open("rb"),
            as_attachment=as_attachment,
            filename=name,
            content_type=content_type,
        )
    for header, value in FILE_RESPONSE_HEADERS.items():
        response[header] = value
    return response


def _seen_lately(person: Person, evidence_file: EvidenceFile) -> bool:
    since = timezone.now() - datetime.timedelta(hours=1)
    return AuditEvent.objects.filter(
        action=PortfolioAction.FILE_DOWNLOADED,
        actor=person,
        evidence_id=evidence_file.evidence_id,
        after__sha256=evidence_file.sha256,
        at__gte=since,
    ).exists()

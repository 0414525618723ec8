"""Evidence files leave only through here: to the people on the candidate's case, after the same
permission check, with headers that stop a browser running or keeping anything in them
(portfolio/file_responses.py), and on the audit trail (portfolio/services_files.py).

Three addresses, one file: its download; the file shown in the browser (a picture opened full size,
a PDF in a frame of the evidence page, a recording or video in a player, each answering Range
requests so a player can seek); and a picture's small preview. Viewing is recorded as viewed,
downloading as downloaded. `_serve` alone decides what a request gets.

A file a standing sign-off rests on, whose last check found it changed (`portfolio.signed_files`),
is not served at once to someone who asked for it as a page (a download, the picture opened in a
tab): a page says so first, with a link to have it anyway."""

from enum import StrEnum

from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_safe

from portfolio.file_types import Display
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import EvidenceFile

from .. import access, services_files, signed_files
from ..file_responses import FILE_RESPONSE_HEADERS as FILE_RESPONSE_HEADERS
from ..file_responses import file_response, preview_response


class FileUse(StrEnum):
    DOWNLOAD = "download"
    VIEW = "view"  # shown by the browser: inline, where the kind allows it
    PREVIEW = "preview"  # a picture's thumbnail on the evidence page


@require_safe
def evidence_file_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    return _serve(request, access.evidence_file_for_user(request.user, pk), FileUse.DOWNLOAD)


@require_safe
def evidence_file_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    return _serve(request, access.evidence_file_for_user(request.user, pk), FileUse.VIEW)


@require_safe
def evidence_file_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    return _serve(request, access.evidence_file_for_user(request.user, pk), FileUse.PREVIEW)


def _serve(request: AuthenticatedHttpRequest, evidence_file: EvidenceFile, use: FileUse) -> HttpResponseBase:
    """What a permitted request for the file gets, and what the trail records of it. A check
    before anything is served (a warning page, say) belongs here, once for all three addresses."""
    if use is not FileUse.PREVIEW and _asked_as_a_page(request) and not request.GET.get("anyway"):
        changes = signed_files.changes_since_signed(evidence_file)
        if changes:
            return _changed_since_signed(request, evidence_file, changes)
    response: HttpResponseBase | None = None
    if use is FileUse.PREVIEW:
        if evidence_file.display != Display.PICTURE:
            raise Http404("Only a picture has a preview.")
        # Until the worker has made the thumbnail, the picture itself (a kind every browser draws),
        # unless its details say where it was taken or describe it: the thumbnail is made without them.
        response = preview_response(evidence_file)
        if response is None and evidence_file.identifying_details:
            raise Http404("The preview is being prepared.")
    if response is None:
        response = file_response(request, evidence_file, inline=use is not FileUse.DOWNLOAD)
    if request.method == "GET" and response.status_code in (200, 206, 302):
        # Someone other than the candidate has seen their personal data: the trail says who. A
        # HEAD or a refused range (416) carries none of it; a redirect to a signed link does.
        services_files.file_read(
            person=request.user, evidence_file=evidence_file, downloaded=use is FileUse.DOWNLOAD
        )
    return response


def _asked_as_a_page(request: AuthenticatedHttpRequest) -> bool:
    """A download or a file opened in a tab, where a warning page can be read; not the frame, player
    or picture of the evidence page, which says itself that the record has changed. Browsers name
    what a request is for (Sec-Fetch-Dest); one that does not is given the warning."""
    return request.headers.get("Sec-Fetch-Dest", "document") == "document"


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
         "file_changed": any(change.file_changed for change in changes),
         "anyway": f"{request.path}?{anyway.urlencode()}"},
    )

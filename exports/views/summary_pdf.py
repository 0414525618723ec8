"""The summary of achievement of a candidate's qualification, for everyone on the case."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from assessments.qualification_progress import qualification_progress
from portfolio import access, audit
from portfolio.http import AuthenticatedHttpRequest

from ..audit_actions import ExportAction
from ..summary_pdf import render_summary_pdf


@require_safe
def summary_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = access.registration_for_user(request.user, pk)
    progress = qualification_progress(registration)
    code = registration.qualification.code
    if not progress.complete:
        messages.info(request, f"The summary of achievement of {code} is there once the qualification is complete.")
        return redirect("assessments:registration_detail", pk=registration.pk)
    pdf = render_summary_pdf(progress, by=request.user)
    candidate = registration.candidate
    audit.record(
        ExportAction.SUMMARY_EXPORTED, actor=request.user, centre=registration.centre, candidate=candidate,
        summary=f"{code} summary of achievement of {candidate.get_full_name()} downloaded as PDF",
        after={"qualification": code},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"{candidate.get_full_name()} {code} summary of achievement") + ".pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

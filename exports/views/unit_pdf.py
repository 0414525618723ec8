"""Downloads of a unit's portfolio for the awarding body."""

from django.http import HttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from assessments.access import enrolment_for_user
from portfolio import audit
from portfolio.http import AuthenticatedHttpRequest

from ..audit_actions import ExportAction
from ..unit_pdf import render_unit_pdf


@require_safe
def unit_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The unit's portfolio as PDF, for everyone on the candidate's case."""
    enrolment, _ = enrolment_for_user(request.user, pk)
    pdf = render_unit_pdf(enrolment, by=request.user)
    audit.record(
        ExportAction.UNIT_EXPORTED,
        actor=request.user,
        centre=enrolment.centre,
        enrolment=enrolment,
        summary=f"{enrolment.unit.code} portfolio of {enrolment.candidate.get_full_name()} exported as PDF",
    )
    name = slugify(f"{enrolment.candidate.get_full_name()} {enrolment.unit.code}") + ".pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

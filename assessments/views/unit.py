from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from portfolio import selectors

from ..progress import unit_progress


@login_required
def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A candidate's unit: the whole standard with the evidence and decisions beside each item."""
    enrolment = selectors.enrolment_for_user(request.user, pk)
    progress = unit_progress(enrolment)
    return render(
        request,
        "assessments/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "progress": progress,
            "structure": progress.structure,
            "is_candidate": enrolment.candidate_id == request.user.pk,
        },
    )


@login_required
def audit_export(request: HttpRequest, pk: int) -> HttpResponse:
    # PLACEHOLDER until written.
    raise Http404

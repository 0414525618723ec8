"""A candidate's qualification: its units, where each stands, the credits and what is still needed,
for everyone on the candidate's case."""

from django.http import HttpResponse
from django.shortcuts import render

from portfolio import access
from portfolio.http import AuthenticatedHttpRequest
from portfolio.identifier_models import identifiers_at

from ..claim_models import Claim
from ..qualification_progress import qualification_progress


def registration_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = access.registration_for_user(request.user, pk)
    progress = qualification_progress(registration)
    context = {
        "registration": registration,
        "qualification": registration.qualification,
        "identifiers": identifiers_at(registration.candidate_id, registration.centre_id),
        "progress": progress,
        "claim": Claim.objects.filter(registration=registration).first(),
        "administers": access.administers(request.user, registration.centre),
    }
    return render(request, "assessments/registration_detail.html", context)

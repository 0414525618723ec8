"""The witness status list (RF03): the assessor or an administrator asks a witness who testified
before their status was asked for to confirm it; the witness, who has no account, does so through
a single-use link. The list itself is on the unit page, in the unit PDF and on the centre's page
(`views/quality_records.py`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest

from .. import access
from ..forms.witness import WitnessStatusForm
from ..models import Witness
from ..services import witness_status as services
from ..services.witness_links import TestimonyUnavailable
from .witness import THANKS_QUERY, WITNESS_PAGE_HEADERS


@require_POST
def witness_status_ask(request: AuthenticatedHttpRequest, pk: int, witness_id: int) -> HttpResponse:
    """"Ask to confirm status": the unit's assessor or a centre administrator; anyone else on the
    case reads the list but does not ask (403)."""
    enrolment, rights = access.enrolment_for_user(request.user, pk)
    rights.require_witness_status_asker()
    witness = get_object_or_404(Witness, pk=witness_id, candidate=enrolment.candidate, centre=enrolment.centre_id)
    try:
        services.status_request(witness=witness, enrolment=enrolment, requested_by=request.user)
    except PortfolioError as error:
        messages.error(request, str(error))
    except OSError:
        messages.error(request, "The email to the witness could not be sent, so nothing was saved. Try again later.")
    else:
        messages.success(
            request,
            f"A link was emailed to {witness.name} ({witness.email}) asking them to confirm their status. "
            f"It works once, for {services.STATUS_LINK_DAYS} days.",
        )
    return redirect(reverse("assessments:enrolment_detail", args=[enrolment.pk]) + "#witness-status")


# No CSRF token and no cookie, as for the testimony link (views/witness.py says why).
@login_not_required
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def witness_status_confirm(request: HttpRequest, token: str) -> HttpResponse:
    status_request = services.status_request_for_token(token)
    if status_request is None:
        return _page(request, "assessments/testimony_unavailable.html", {"reason": "unknown"}, 404)
    state = services.status_link_state(status_request)
    candidate = status_request.enrolment.candidate
    candidate_name = f"{candidate.first_name} {candidate.last_name}".strip() or "the candidate"
    if state == "used" and request.method != "POST" and request.GET.get("sent") == "1":
        return _page(request, "assessments/witness_status_thanks.html", {"candidate_name": candidate_name}, 200)
    if state != "pending":
        return _page(request, "assessments/testimony_unavailable.html", {"reason": state}, 410)
    witness = status_request.witness
    form = WitnessStatusForm(
        request.POST if request.method == "POST" else None,
        initial={"witness_name": witness.name, "job_role": witness.job_role, "relationship": witness.relationship},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.status_confirm(request=status_request, token=token, **form.cleaned_data)
        except TestimonyUnavailable as error:
            return _page(request, "assessments/testimony_unavailable.html", {"reason": error.reason}, 410)
        except PortfolioError as error:
            form.add_error(None, str(error))
        else:
            return _headers(redirect(f"{request.path}?{THANKS_QUERY}"))
    context = {
        "form": form, "candidate_name": candidate_name, "unit": status_request.enrolment.unit,
        "expires_at": status_request.expires_at,
    }
    return _page(request, "assessments/witness_status_confirm.html", context, 400 if request.method == "POST" else 200)


def _page(request: HttpRequest, template: str, context: dict, status: int) -> HttpResponse:
    return _headers(render(request, template, context, status=status))


def _headers(response: HttpResponse) -> HttpResponse:
    for header, value in WITNESS_PAGE_HEADERS.items():
        response[header] = value
    return response

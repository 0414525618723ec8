"""Witness testimony: the candidate or assessor asks for it; the witness, who has no account, gives
it through a single-use link."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from assessments.models import TestimonyRequest
from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import Enrolment
from standards.selectors import unit_structure

from .. import access
from ..forms.witness import TestimonyForm, TestimonyRequestForm
from ..services import witness as services
from ..services.decisions import require_open_for_evidence

# The token is in the address: no page of the witness's may pass it on (Referer), keep it
# (caches, history restored from disk) or offer it to search engines.
WITNESS_PAGE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
}


@require_http_methods(["GET", "HEAD", "POST"])
def testimony_request_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment, rights = access.enrolment_for_user(request.user, pk)
    rights.require_evidence_gatherer()
    if not rights.may_request_testimony:
        return _request_refused(request, enrolment, rights)
    form = TestimonyRequestForm(
        request.POST or None, unit=enrolment.unit,
        candidate="" if rights.is_candidate else enrolment.candidate.get_full_name(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            testimony_request = services.testimony_request(
                enrolment=enrolment,
                requested_by=request.user,
                witness_name=form.cleaned_data["witness_name"],
                witness_email=form.cleaned_data["witness_email"],
                criteria=form.cleaned_data["criteria"],
            )
        except PortfolioError as error:
            form.add_error(None, str(error))
        except OSError:
            # The mail server refused or could not be reached; the service saved nothing.
            form.add_error(None, "The email to the witness could not be sent, so nothing was saved. Try again later.")
        else:
            messages.success(
                request,
                f"The link was emailed to {testimony_request.witness_name} ({testimony_request.witness_email}). "
                f"It works once and expires on {_day(testimony_request.expires_at)}.",
            )
            # The Evidence tab, where the request now waits among the unit's witnesses.
            return redirect(reverse("assessments:enrolment_detail", args=[enrolment.pk]) + "#evidence")
    structure = unit_structure(enrolment.unit)
    chosen = {str(value) for value in form["criteria"].value() or []}
    context = {
        "enrolment": enrolment,
        "form": form,
        "structure": structure,
        "chosen": chosen,
        "is_candidate": rights.is_candidate,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/testimony_request_form.html", context, status=status)


def _request_refused(
    request: AuthenticatedHttpRequest, enrolment: Enrolment, rights: access.EnrolmentRights
) -> HttpResponse:
    """Why no witness is asked on this unit now, with no form; a form posted anyway is answered the
    same way, unread, and nothing is sent."""
    refused = rights.deactivated
    if not refused:
        try:
            require_open_for_evidence(enrolment)  # its words: withdrawn or transferred, or signed off
        except PortfolioError as error:
            refused = str(error)
    context = {"enrolment": enrolment, "refused": refused, "is_candidate": rights.is_candidate}
    status = 403 if request.method == "POST" else 200
    return render(request, "assessments/testimony_request_form.html", context, status=status)


# No CSRF token: the secret in the address already does its job (a forged request would need it),
# and under "Referrer-Policy: no-referrer" browsers send "Origin: null" with the form, which
# Django's CSRF check refuses. So the witness's browser gets no cookie of ours at all.
@login_not_required
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def testimony_give(request: HttpRequest, token: str) -> HttpResponse:
    """The witness's page. It never looks at who is signed in: the link alone opens it, and it shows
    only the candidate's name, the unit's title and the criteria asked about."""
    testimony_request = services.testimony_request_for_token(token)
    if testimony_request is None:
        return _witness_page(request, "assessments/testimony_unavailable.html", {"reason": "unknown"}, 404)
    status = services.testimony_status(testimony_request)
    if status == "used" and request.method != "POST" and _just_given(request, testimony_request):
        return _witness_page(
            request, "assessments/testimony_thanks.html",
            {"candidate_name": _candidate_name(testimony_request), "asked_by": _asked_by(testimony_request)}, 200,
        )
    if status == "pending" and services.no_longer_open(testimony_request.enrolment):
        status = "closed"  # withdrawn, transferred or its candidate deactivated since the link was sent
    if status != "pending":
        return _unavailable(request, testimony_request, status)
    form = TestimonyForm(
        request.POST if request.method == "POST" else None,
        initial={"witness_name": testimony_request.witness_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.testimony_give(request=testimony_request, token=token, **form.cleaned_data)
        except services.TestimonyUnavailable as error:
            if error.reason == "unknown":  # changed in the database meanwhile: as a link nobody sent
                return _witness_page(request, "assessments/testimony_unavailable.html", {"reason": "unknown"}, 404)
            return _unavailable(request, testimony_request, error.reason)
        except PortfolioError as error:
            form.add_error(None, str(error))
        except IntegrityError:
            form.add_error(None, "Something else was saved at the same moment. Please send the form again.")
        else:
            # Post, redirect, get: the thanks page is an address of its own, so refreshing it
            # never sends the form again (the link is used up, and would say so).
            return _with_witness_headers(redirect(f"{request.path}?{THANKS_QUERY}"))
    enrolment = testimony_request.enrolment
    context = {
        "form": form,
        "candidate_name": _candidate_name(testimony_request),
        "unit": enrolment.unit,
        "criteria": testimony_request.criteria.order_by("position").prefetch_related("points"),
        "expires_at": testimony_request.expires_at,
        # Who asked the witness: the candidate, or their assessor (the page says which).
        "asked_by": _asked_by(testimony_request),
    }
    status_code = 400 if request.method == "POST" else 200
    return _witness_page(request, "assessments/testimony_give.html", context, status_code)


# The thanks page's address is the link's own with this added; it thanks the witness for an hour
# after they gave the testimony, then says, as for anyone else, that the link has been used.
THANKS_QUERY = "sent=1"
THANKS_FOR = datetime.timedelta(hours=1)


def _just_given(request: HttpRequest, testimony_request: TestimonyRequest) -> bool:
    used_at = testimony_request.used_at
    return (
        request.GET.get("sent") == "1" and used_at is not None and timezone.now() - used_at < THANKS_FOR
    )


def _day(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y}"


def _candidate_name(testimony_request: TestimonyRequest) -> str:
    candidate = testimony_request.enrolment.candidate
    return f"{candidate.first_name} {candidate.last_name}".strip() or "the candidate"


def _asked_by(testimony_request: TestimonyRequest) -> str:
    """The assessor's name when the assessor asked; empty when the candidate did."""
    asker, enrolment = testimony_request.requested_by, testimony_request.enrolment
    if asker.pk == enrolment.candidate_id:
        return ""
    return f"{asker.first_name} {asker.last_name}".strip() or "their assessor"


def _unavailable(request: HttpRequest, testimony_request: TestimonyRequest, reason: str) -> HttpResponse:
    """Who asked is said as their part on the case, not by name: the page shows nothing of the
    candidate's to whoever holds a link that no longer opens the form."""
    asker = "the candidate’s assessor" if _asked_by(testimony_request) else "the candidate"
    context = {"reason": reason, "asker": asker}
    return _witness_page(request, "assessments/testimony_unavailable.html", context, 410)


def _witness_page(request: HttpRequest, template: str, context: dict, status: int) -> HttpResponse:
    return _with_witness_headers(render(request, template, context, status=status))


def _with_witness_headers(response: HttpResponse) -> HttpResponse:
    for header, value in WITNESS_PAGE_HEADERS.items():
        response[header] = value
    return response

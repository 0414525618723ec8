"""A centre administrator's pages of external quality assurance access: who has it (invited,
active, ended, expired), inviting, sending the invitation again, renewing, ending it now, and the
log of what each EQA opened. Anyone but an administrator of the centre finds nothing (404)."""

import datetime
import logging
import smtplib
from collections.abc import Iterator

from django import forms
from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render

from portfolio.http import AuthenticatedHttpRequest

from .. import access, access_centre, dates, grant_seals, name_order, services_eqa, spreadsheets
from ..eqa_models import MAX_GRANT_DAYS, EqaGrant, EqaVisit
from ..errors import PortfolioError
from ..forms.eqa import EqaInviteForm, EqaRenewForm, EqaVisitFilterForm
from ..models import Centre, Person
from ..paging import Pages
from ..services_centre import Refused

logger = logging.getLogger(__name__)

VISITS_PER_PAGE = 50
STATUS_WORDS = {
    "invited": "Invited", "invitation expired": "Invitation expired", "cancelled": "Invitation withdrawn",
    "ended": "Ended", "expired": "Expired", "starts": "Accepted, not yet started", "active": "Active",
    "changed": "Changed outside the portfolio: opens nothing",
}
# What the list offers for a grant in each state: only what still makes sense. Access that ran out
# or was ended is given anew as a fresh invitation (a new link, the terms accepted again for the
# new visit), starting from the same person and scope; it is not renewed or sent again.
ACTIONS = {
    "invited": ("resend", "renew", "end"), "invitation expired": ("resend", "renew", "end"),
    "starts": ("renew", "end"), "active": ("renew", "end"),
    "expired": ("again",), "ended": ("again",), "cancelled": ("again",),
    # Changed in the database: it opens nothing, and is ended (then given anew) or put back by hand.
    "changed": ("end",),
}


def _grants(centre: Centre) -> list[EqaGrant]:
    today = access.local_today()
    grants = list(
        EqaGrant.objects.filter(centre=centre)
        .select_related("invitation", "person", "ended_by")
        .prefetch_related("qualifications", Prefetch("units"))
    )
    for grant in grants:
        grant.status_now = grant.status(today)  # type: ignore[attr-defined]
        grant.status_words = STATUS_WORDS[grant.status_now]  # type: ignore[attr-defined]
        grant.actions = ACTIONS[grant.status_now]  # type: ignore[attr-defined]
        grant.said = grant_seals.said(grant) if grant.status_now == "changed" else ""  # type: ignore[attr-defined]
    return grants


def eqa_access_list(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    return render(request, "portfolio/eqa_access_list.html", {"centre": centre, "grants": _grants(centre)})


def _refused(form: forms.Form, error: PortfolioError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


def eqa_invite(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    today = access.local_today()
    initial = {"start_date": today, "end_date": today + datetime.timedelta(days=MAX_GRANT_DAYS)}
    if request.method == "GET" and request.GET.get("again", "").isdigit():
        initial |= _invited_before(request, centre_id, int(request.GET["again"]))
    form = EqaInviteForm(request.POST if request.method == "POST" else None, centre=centre, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_eqa.eqa_invite(centre=centre, invited_by=request.user, **form.cleaned_data)
        except PortfolioError as error:
            _refused(form, error)
        except (smtplib.SMTPException, OSError):
            logger.exception("The EQA invitation email could not be sent")
            form.add_error(None, "The invitation email could not be sent, so nothing was saved. Try again later.")
        else:
            # The same words whether or not the address has an account: the centre learns nothing of it.
            messages.success(request, f"{form.cleaned_data['name']} has been invited. Their access starts when they accept.")
            return redirect("portfolio:eqa_access_list", centre.pk)
    status = 400 if form.is_bound else 200
    return render(request, "portfolio/eqa_invite.html", {"centre": centre, "form": form}, status=status)


def _invited_before(request: AuthenticatedHttpRequest, centre_id: int, pk: int) -> dict:
    """"Invite again": the form filled from a grant of the centre's that ran out or was ended."""
    _, grant = access_centre.administered_eqa_grant_for_user(request.user, centre_id, pk)
    invitation = grant.invitation
    return {
        "name": grant.person.get_full_name() if grant.person else invitation.name if invitation else "",
        "email": grant.person.email if grant.person else invitation.email if invitation else "",
        "awarding_body": grant.awarding_body,
        "qualifications": list(grant.qualifications.all()),
        "units": list(grant.units.all()),
    }


def eqa_resend(request: AuthenticatedHttpRequest, centre_id: int, pk: int) -> HttpResponse:
    centre, grant = access_centre.administered_eqa_grant_for_user(request.user, centre_id, pk)
    if request.method == "POST":
        try:
            services_eqa.eqa_resend(grant=grant, sent_by=request.user)
        except PortfolioError as error:
            messages.error(request, str(error))
        except (smtplib.SMTPException, OSError):
            logger.exception("The EQA invitation email could not be sent again")
            messages.error(request, "The invitation email could not be sent. Try again later.")
        else:
            messages.success(request, f"The invitation was sent again to {grant.invitation.email}. The earlier link no longer works.")  # type: ignore[union-attr]
    return redirect("portfolio:eqa_access_list", centre.pk)


def eqa_renew(request: AuthenticatedHttpRequest, centre_id: int, pk: int) -> HttpResponse:
    centre, grant = access_centre.administered_eqa_grant_for_user(request.user, centre_id, pk)
    closed = _closed(grant)
    if closed:  # nothing to renew: said at once, with the way on, rather than a form refused on post
        context = {"centre": centre, "grant": grant, "who": services_eqa._who(grant), "closed": closed}
        return render(request, "portfolio/eqa_renew.html", context, status=400 if request.method == "POST" else 200)
    form = EqaRenewForm(request.POST if request.method == "POST" else None, today=access.local_today())
    if request.method == "POST" and form.is_valid():
        try:
            sent = services_eqa.eqa_renew(grant=grant, renewed_by=request.user, end_date=form.cleaned_data["end_date"])
        except PortfolioError as error:
            _refused(form, error)
        except (smtplib.SMTPException, OSError):
            logger.exception("The EQA invitation email could not be sent with the renewed dates")
            form.add_error(None, "The invitation email with the new dates could not be sent, so nothing was saved. "
                                 "Try again later.")
        else:
            again = (f" The invitation was sent again to {grant.invitation.email} with the new dates; "  # type: ignore[union-attr]
                     "the earlier link no longer works.") if sent else ""
            messages.success(request, f"Access renewed until {dates.day(grant.end_date)}.{again}")
            return redirect("portfolio:eqa_access_list", centre.pk)
    context = {"centre": centre, "grant": grant, "form": form, "who": services_eqa._who(grant),
               "invitation_waiting": services_eqa.invitation_waiting(grant)}
    return render(request, "portfolio/eqa_renew.html", context, status=400 if form.is_bound else 200)


def _closed(grant: EqaGrant) -> str:
    """Why a grant cannot be renewed, in words ("" when it can): ended by the centre, or run out."""
    if grant.ended_at is not None:
        return f"This access was ended on {dates.day(grant.ended_at)}, so it cannot be renewed: invite the EQA again instead."
    if grant.status(access.local_today()) == "expired":
        return f"This access ran out on {dates.day(grant.end_date)}: invite the EQA again instead."
    if grant.seal_broken_at is not None:
        return "This access was changed outside the portfolio, so it cannot be renewed: end it and invite the EQA again."
    return ""


def eqa_end(request: AuthenticatedHttpRequest, centre_id: int, pk: int) -> HttpResponse:
    centre, grant = access_centre.administered_eqa_grant_for_user(request.user, centre_id, pk)
    error = ""
    if request.method == "POST":
        try:
            services_eqa.eqa_end(grant=grant, ended_by=request.user)
        except Refused as refused:
            error = str(refused)
        else:
            messages.success(request, f"Access of {services_eqa._who(grant)} has ended.")
            return redirect("portfolio:eqa_access_list", centre.pk)
    context = {"centre": centre, "grant": grant, "who": services_eqa._who(grant), "error": error}
    return render(request, "portfolio/eqa_end.html", context, status=400 if error else 200)


def _visits(request: AuthenticatedHttpRequest, centre: Centre) -> tuple[EqaVisitFilterForm, QuerySet[EqaVisit]]:
    people = Person.objects.filter(eqa_grants__centre=centre).distinct().order_by(*name_order.by_name(), "pk")
    form = EqaVisitFilterForm(request.GET or None, people=people)
    visits = EqaVisit.objects.filter(centre=centre).select_related("person")
    if form.is_valid():
        if form.cleaned_data["person"]:
            visits = visits.filter(person=form.cleaned_data["person"])
        if form.cleaned_data["since"]:
            visits = visits.filter(opened_at__date__gte=form.cleaned_data["since"])
        if form.cleaned_data["until"]:
            visits = visits.filter(opened_at__date__lte=form.cleaned_data["until"])
    return form, visits


def eqa_visit_list(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    form, visits = _visits(request, centre)
    page = Pages(visits, VISITS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portfolio/eqa_visit_list.html", {"centre": centre, "form": form, "page": page})


EQA_LOG_HEADER = ["opened_at_utc", "name", "email", "what", "address"]
CSV_CHUNK = 1000  # rows read from the database at a time


def _visit_rows(visits: QuerySet[EqaVisit]) -> Iterator[list[str]]:
    for visit in visits.iterator(chunk_size=CSV_CHUNK):
        yield [visit.opened_at.astimezone(datetime.UTC).isoformat(), str(visit.person), visit.person.email, visit.what, visit.path]


def eqa_visits_download(request: AuthenticatedHttpRequest, centre_id: int) -> StreamingHttpResponse:
    """The access log as filtered, streamed a row at a time (however long the log, memory stays flat)."""
    centre = access.administered_centre_for_user(request.user, centre_id)
    _, visits = _visits(request, centre)
    return spreadsheets.streamed(EQA_LOG_HEADER, _visit_rows(visits), file_name=f"{centre.code}-eqa-access-log.csv")

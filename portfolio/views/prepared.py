"""A centre administrator's page of one invited candidate's registration, on a unit or on a
qualification, waiting for them to accept: its assessor, IQA and target date changed, or the
registration cancelled (`services_centre_invitations`); or one kept when they accepted because its
assessor or IQA had gone, opened once the administrator chooses its team (`services_prepared_held`).
Anyone but an administrator of that centre finds nothing (404). Once it has opened, its page says so
and leads to the registration it became (a page kept open, or followed from an old link)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from portfolio.http import AuthenticatedHttpRequest

from .. import access_centre, services_centre_invitations, services_prepared_held
from ..errors import PortfolioError
from ..forms.enrolments import PreparedEnrolmentForm
from ..forms.refusals import refusal_on
from ..models import Centre, Enrolment, PreparedEnrolment, PreparedRegistration


def prepared_manage(request: AuthenticatedHttpRequest, centre_id: int, pk: int) -> HttpResponse:
    try:
        centre, prepared = access_centre.prepared_enrolment_for_user(request.user, centre_id, pk)
    except Http404:
        return _opened(request, centre_id, pk, qualification=False)
    return _manage(request, centre, prepared)


def prepared_registration_manage(request: AuthenticatedHttpRequest, centre_id: int, pk: int) -> HttpResponse:
    try:
        centre, prepared = access_centre.prepared_registration_for_user(request.user, centre_id, pk)
    except Http404:
        return _opened(request, centre_id, pk, qualification=True)
    return _manage(request, centre, prepared)


def _opened(request: AuthenticatedHttpRequest, centre_id: int, pk: int, *, qualification: bool) -> HttpResponse:
    """The page of a registration that has opened since: what it is now, and where. A change or a
    cancellation sent from the old page did nothing, and the page says so (409)."""
    centre, opened = access_centre.opened_from_prepared(request.user, centre_id, pk, qualification=qualification)
    if isinstance(opened, Enrolment):
        code, url = opened.unit.code, reverse("portfolio:enrolment_manage", args=[opened.pk])
    else:
        code, url = opened.qualification.code, reverse("assessments:registration_detail", args=[opened.pk])
    context = {
        "centre": centre, "opened": opened, "code": code, "url": url, "is_qualification": qualification,
        "refused": request.method == "POST",
    }
    return render(request, "portfolio/prepared_opened.html", context, status=409 if request.method == "POST" else 200)


def _manage(
    request: AuthenticatedHttpRequest, centre: Centre, prepared: PreparedEnrolment | PreparedRegistration
) -> HttpResponse:
    initial = {"assessor": prepared.assessor, "iqa": prepared.iqa, "target_date": prepared.target_date}
    form = PreparedEnrolmentForm(request.POST or None, initial=initial, centre=centre)
    held = prepared.invitation.accepted_at is not None
    if request.method == "POST" and form.is_valid():
        try:
            if held:
                opened = _held_open(prepared, request, form.cleaned_data)
            else:
                services_centre_invitations.prepared_enrolment_change(
                    prepared=prepared, changed_by=request.user, **form.cleaned_data
                )
        except PortfolioError as refused:
            refusal_on(form, refused)
        else:
            if held:
                return opened
            messages.success(
                request, f"{prepared.invitation.name}’s registration on {_code(prepared)} is changed. It opens as "
                "changed when they accept the invitation.",
            )
            return redirect("assessments:centre_detail", centre_id=centre.pk)
    status = 400 if form.is_bound and form.errors else 200
    is_qualification = isinstance(prepared, PreparedRegistration)
    context = {
        "centre": centre, "prepared": prepared, "form": form, "held": held,
        "team_gone": services_prepared_held.team_gone(prepared.invitation, prepared.assessor, prepared.iqa),
        "code": _code(prepared), "is_qualification": is_qualification,
        "title": prepared.qualification.title if is_qualification else prepared.unit.title,  # type: ignore[union-attr]
        "cancel_url": reverse(
            "portfolio:prepared_registration_cancel" if is_qualification else "portfolio:prepared_cancel",
            args=[centre.pk, prepared.pk],
        ),
    }
    return render(request, "portfolio/prepared_manage.html", context, status=status)


def _code(prepared: PreparedEnrolment | PreparedRegistration) -> str:
    return prepared.qualification.code if isinstance(prepared, PreparedRegistration) else prepared.unit.code


def _held_open(prepared: PreparedEnrolment | PreparedRegistration, request: AuthenticatedHttpRequest,
               chosen: dict) -> HttpResponse:
    """Opens a registration kept at acceptance, and the page to go to once it is open."""
    if isinstance(prepared, PreparedRegistration):
        registration = services_prepared_held.held_registration_open(prepared=prepared, opened_by=request.user, **chosen)
        messages.success(request, f"{registration.candidate}’s {registration.qualification.code} is open, with "
                         f"{chosen['assessor']} as assessor. They have been told, and so has the IQA.")
        return redirect("assessments:registration_detail", pk=registration.pk)
    enrolment = services_prepared_held.held_enrolment_open(prepared=prepared, opened_by=request.user, **chosen)
    messages.success(request, f"{enrolment.candidate}’s {enrolment.unit.code} is open, with "
                     f"{enrolment.assessor} as assessor. They have been told, and so has the IQA.")
    return redirect("portfolio:enrolment_manage", pk=enrolment.pk)


@require_POST
def prepared_cancel(request: AuthenticatedHttpRequest, centre_id: int, pk: int) -> HttpResponse:
    try:
        centre, prepared = access_centre.prepared_enrolment_for_user(request.user, centre_id, pk)
    except Http404:
        return _opened(request, centre_id, pk, qualification=False)
    return _cancel(request, centre, prepared)


@require_POST
def prepared_registration_cancel(request: AuthenticatedHttpRequest, centre_id: int, pk: int) -> HttpResponse:
    try:
        centre, prepared = access_centre.prepared_registration_for_user(request.user, centre_id, pk)
    except Http404:
        return _opened(request, centre_id, pk, qualification=True)
    return _cancel(request, centre, prepared)


def _cancel(
    request: AuthenticatedHttpRequest, centre: Centre, prepared: PreparedEnrolment | PreparedRegistration
) -> HttpResponse:
    name, code = prepared.invitation.name, _code(prepared)
    try:
        services_centre_invitations.prepared_enrolment_cancel(prepared=prepared, cancelled_by=request.user)
    except PortfolioError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{name} will not be registered on {code}. Their invitation stands.")
    return redirect("assessments:centre_detail", centre_id=centre.pk)

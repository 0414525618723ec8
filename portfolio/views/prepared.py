"""A centre administrator's page of one invited candidate's registration on a unit, waiting for them
to accept: its assessor, IQA and target date changed, or the registration cancelled
(`services_centre_invitations`); or one kept when they accepted because its assessor or IQA had
gone, opened once the administrator chooses its team (`services_prepared_held`). Anyone but an administrator of that centre finds nothing (404), and
so does everyone once the candidate accepts: the registration is then their enrolment."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portfolio.http import AuthenticatedHttpRequest

from .. import access_centre, services_centre_invitations, services_prepared_held
from ..errors import PortfolioError
from ..forms.enrolments import PreparedEnrolmentForm


def prepared_manage(request: AuthenticatedHttpRequest, centre_id: int, pk: int) -> HttpResponse:
    centre, prepared = access_centre.prepared_enrolment_for_user(request.user, centre_id, pk)
    initial = {"assessor": prepared.assessor, "iqa": prepared.iqa, "target_date": prepared.target_date}
    form = PreparedEnrolmentForm(request.POST or None, initial=initial, centre=centre)
    held = prepared.invitation.accepted_at is not None
    if request.method == "POST" and form.is_valid():
        try:
            if held:
                enrolment = services_prepared_held.held_enrolment_open(
                    prepared=prepared, opened_by=request.user, **form.cleaned_data
                )
            else:
                services_centre_invitations.prepared_enrolment_change(
                    prepared=prepared, changed_by=request.user, **form.cleaned_data
                )
        except PortfolioError as refused:
            field = getattr(refused, "field", None)
            form.add_error(field if field in form.fields else None, str(refused))
        else:
            if held:
                messages.success(request, f"{enrolment.candidate}’s {enrolment.unit.code} is open, with "
                                 f"{enrolment.assessor} as assessor. They have been told, and so has the IQA.")
                return redirect("portfolio:enrolment_manage", pk=enrolment.pk)
            messages.success(
                request, f"{prepared.invitation.name}’s registration on {prepared.unit.code} is changed. It opens as "
                "changed when they accept the invitation.",
            )
            return redirect("assessments:centre_detail", centre_id=centre.pk)
    status = 400 if form.is_bound and form.errors else 200
    context = {"centre": centre, "prepared": prepared, "form": form, "held": held,
               "team_gone": services_prepared_held.team_gone(prepared.invitation, prepared.assessor, prepared.iqa)}
    return render(request, "portfolio/prepared_manage.html", context, status=status)


@require_POST
def prepared_cancel(request: AuthenticatedHttpRequest, centre_id: int, pk: int) -> HttpResponse:
    centre, prepared = access_centre.prepared_enrolment_for_user(request.user, centre_id, pk)
    name, unit = prepared.invitation.name, prepared.unit.code
    try:
        services_centre_invitations.prepared_enrolment_cancel(prepared=prepared, cancelled_by=request.user)
    except PortfolioError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{name} will not be registered on {unit}. Their invitation stands.")
    return redirect("assessments:centre_detail", centre_id=centre.pk)

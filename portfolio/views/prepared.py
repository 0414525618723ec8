"""A centre administrator's page of one invited candidate's registration on a unit, waiting for them
to accept: its assessor, IQA and target date changed, or the registration cancelled
(`services_centre_invitations`). Anyone but an administrator of that centre finds nothing (404), and
so does everyone once the candidate accepts: the registration is then their enrolment."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portfolio.http import AuthenticatedHttpRequest

from .. import access_centre, services_centre_invitations
from ..errors import PortfolioError
from ..forms.enrolments import PreparedEnrolmentForm


def prepared_manage(request: AuthenticatedHttpRequest, centre_id: int, pk: int) -> HttpResponse:
    centre, prepared = access_centre.prepared_enrolment_for_user(request.user, centre_id, pk)
    initial = {"assessor": prepared.assessor, "iqa": prepared.iqa, "target_date": prepared.target_date}
    form = PreparedEnrolmentForm(request.POST or None, initial=initial, centre=centre)
    if request.method == "POST" and form.is_valid():
        try:
            services_centre_invitations.prepared_enrolment_change(
                prepared=prepared, changed_by=request.user, **form.cleaned_data
            )
        except PortfolioError as refused:
            field = getattr(refused, "field", None)
            form.add_error(field if field in form.fields else None, str(refused))
        else:
            messages.success(
                request, f"{prepared.invitation.name}’s registration on {prepared.unit.code} is changed. It opens as "
                "changed when they accept the invitation.",
            )
            return redirect("assessments:centre_detail", centre_id=centre.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "portfolio/prepared_manage.html", {"centre": centre, "prepared": prepared, "form": form},
                  status=status)


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

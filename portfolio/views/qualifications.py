"""A centre administrator registers a candidate on a qualification and records a candidate's
identifiers (ULN, SCN and the awarding body's registration number on each qualification)."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from portfolio.http import AuthenticatedHttpRequest
from standards.combination import grouped, places_of
from standards.models import Qualification

from .. import access, access_centre, services_prepared_registrations, services_qualifications
from ..errors import PortfolioError
from ..forms.qualifications import IdentifiersForm, QualificationRegisterForm
from ..forms.refusals import refusal_on
from ..identifier_models import identifiers_at
from ..models import Invitation, QualificationRegistration


def qualification_register(request: AuthenticatedHttpRequest, centre_id: int, qualification_id: int) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    qualification = get_object_or_404(Qualification, pk=qualification_id)
    places = places_of(qualification)
    optional = [p.unit for p in places if not p.group.mandatory]
    if request.method == "POST":
        form = QualificationRegisterForm(request.POST, centre=centre, qualification=qualification, optional=optional)
    else:
        initial = {"start_date": timezone.localdate(), "candidate": request.GET.get("candidate")}
        form = QualificationRegisterForm(initial=initial, centre=centre, qualification=qualification, optional=optional)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        fields["optional_units"] = list(fields["optional_units"])
        candidate = fields.pop("candidate")
        try:
            if isinstance(candidate, Invitation):
                prepared = services_prepared_registrations.qualification_prepare(
                    invitation=candidate, prepared_by=request.user, qualification=qualification, **fields
                )
            else:
                registration = services_qualifications.qualification_register(
                    centre=centre, registered_by=request.user, qualification=qualification, candidate=candidate,
                    **fields,
                )
        except PortfolioError as error:
            refusal_on(form, error)
        else:
            if isinstance(candidate, Invitation):
                messages.success(
                    request,
                    f"{candidate.name} is registered on {qualification.code} {qualification.title}, with "
                    f"{prepared.units.count()} units, waiting for them to accept the invitation: the registration "
                    "and its units open when they do.",
                )
                return redirect("assessments:centre_detail", centre_id=centre.pk)
            messages.success(
                request,
                f"{registration.candidate} is registered on {qualification.code} {qualification.title}, "
                f"with {registration.units.count()} units.",
            )
            return redirect("assessments:registration_detail", pk=registration.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "portfolio/qualification_register.html",
        {"centre": centre, "qualification": qualification, "groups": grouped(places), "form": form,
         "short_of": form.short_of()},
        status=status,
    )


def candidate_identifiers(request: AuthenticatedHttpRequest, centre_id: int, candidate_id: int) -> HttpResponse:
    centre, candidate = access_centre.candidate_at_centre_for_user(request.user, centre_id, candidate_id)
    registrations = list(
        QualificationRegistration.objects.filter(Q(centre=centre), candidate=candidate)
        .select_related("qualification").order_by("qualification__code")
    )
    held = identifiers_at(candidate.pk, centre.pk)
    initial = {"uln": held.uln, "scn": held.scn}
    form = IdentifiersForm(request.POST or None, initial=initial, registrations=registrations)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services_qualifications.identifiers_change(
                centre=centre, changed_by=request.user, candidate=candidate, uln=form.cleaned_data["uln"],
                scn=form.cleaned_data["scn"], registration_numbers=form.registration_numbers(),
            )
        except PortfolioError as error:
            form.add_error(getattr(error, "field", None), str(error))
        else:
            messages.success(
                request, f"{candidate}’s identifiers are saved." if changed else "Nothing had changed, so nothing was saved."
            )
            return redirect("assessments:centre_detail", centre_id=centre.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "portfolio/candidate_identifiers.html",
        {"centre": centre, "candidate": candidate, "form": form}, status=status,
    )

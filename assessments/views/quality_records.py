"""The centre's standardisation meetings and its witness status list: read by its IQAs,
administrators and EQAs (an assessor reads the meetings they attended); a meeting is recorded by an
IQA or an administrator. The EQA reads and records nothing (403)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from portfolio import access as portfolio_access
from portfolio.errors import PortfolioError
from portfolio.http import AuthenticatedHttpRequest

from .. import access
from ..forms.quality_records import StandardisationForm
from ..quality_records import meeting_links, meetings_for
from ..services import standardisation as services
from ..witness_list import witness_status_rows


@require_safe
def standardisation_list(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre, rights = access.centre_quality_rights(request.user, centre_id)
    context = {"centre": centre, "rights": rights, "meetings": meetings_for(centre, request.user, rights)}
    return render(request, "assessments/standardisation_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def standardisation_create(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre, rights = access.centre_quality_rights(request.user, centre_id)
    rights.require_standardisation_recorder()
    form = StandardisationForm(
        request.POST or None,
        staff=services.centre_staff(centre),
        units=services.linkable_units(centre, request.user),
        evidence=services.linkable_evidence(centre, request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.standardisation_record(
                centre=centre, recorder=request.user, held_on=data["held_on"], attendees=list(data["attendees"]),
                looked_at=data["looked_at"], outcome=data["outcome"], units=list(data["units"]),
                evidence=list(data["evidence"]), actions=data["actions"],
            )
        except PortfolioError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The standardisation meeting is recorded.")
            return redirect("assessments:standardisation_detail", meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/standardisation_form.html", {"centre": centre, "form": form}, status=status)


@require_safe
def standardisation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, rights = access.standardisation_meeting_for_user(request.user, pk)
    context = {
        "meeting": meeting,
        "centre": meeting.centre,
        "rights": rights,
        "attendees": meeting.attendees.order_by("last_name", "first_name"),
        "actions": meeting.actions.select_related("owner"),
        "links": meeting_links(meeting, request.user),
    }
    return render(request, "assessments/standardisation_detail.html", context)


@require_safe
def centre_witnesses(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    """The centre's witness status list: every witness of every unit the reader may open there."""
    centre, rights = access.centre_reader_for_user(request.user, centre_id)
    enrolments = portfolio_access.enrolments_visible_to(request.user).filter(centre=centre)
    context = {"centre": centre, "rights": rights, "rows": witness_status_rows(enrolments)}
    return render(request, "assessments/centre_witnesses.html", context)

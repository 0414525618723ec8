"""The centre administrator's page of the centre. Portfolio reads its people and enrolments; the
page lives here because it also shows where each unit stands (signed off, countersigned), which only
assessments knows."""

from collections.abc import Iterable

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portfolio import access, name_order
from portfolio import selectors as portfolio_selectors
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import Enrolment, EnrolmentStatus, QualificationRegistration
from portfolio.paging import Pages
from portfolio.views.centre import PAGE_SIZE, centre_detail_context
from standards.models import Qualification

from .. import selectors, sign_off_seals
from ..eqa_units import eqa_marks
from ..home_caseload import is_overdue
from ..qualification_progress import progress_of


def centre_detail(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    centre = access.administered_centre_for_user(request.user, centre_id)
    context = centre_detail_context(request, centre)
    context["states"] = selectors.unit_states(context["enrolments"].object_list)
    context["eqa_marks"] = eqa_marks((e.pk for e in context["enrolments"].object_list), viewer=request.user)
    context["overdue"] = _overdue(context["enrolments"].object_list)
    context["qualifications"] = Qualification.objects.order_by("code")
    registrations = QualificationRegistration.objects.filter(centre=centre).select_related("candidate", "qualification")
    # A page of registrations, as of people and enrolments: a centre of 10,000 candidates reads fifty.
    context["registrations_page"] = Pages(
        registrations.order_by(*name_order.by_name("candidate__"), "qualification__code", "pk"), PAGE_SIZE
    ).get_page(request.GET.get("registrations_page"))
    context["registrations"] = list(progress_of(context["registrations_page"].object_list).values())
    return render(request, "assessments/centre_detail.html", context)


def _overdue(enrolments: Iterable[Enrolment]) -> set[int]:
    """The ids of the active enrolments among these past their target date and not signed off, by
    the caseload's rule (`home_caseload.is_overdue`)."""
    listed = [e for e in enrolments if e.status == EnrolmentStatus.ACTIVE]
    signed = selectors.locked_since(e.pk for e in listed)
    today = timezone.localdate()
    return {e.pk for e in listed if is_overdue(e.target_date, signed_off=e.pk in signed, today=today)}


PORTFOLIOS_PER_PAGE = 50


def centre_portfolios(request: AuthenticatedHttpRequest, centre_id: int) -> HttpResponse:
    """The candidates' units at the centre the person may read, where each stands and a link to it:
    the external quality assurer's way in (the units their grant covers; they change nothing), and
    the administrator's too (every unit)."""
    centre = access.overseen_centre_for_user(request.user, centre_id)
    query = request.GET.get("q", "").strip()
    # The administrator's every unit; an EQA's, those their grant covers.
    enrolments = (
        access.centre_enrolments_overseen(request.user, centre)
        .order_by(*name_order.by_name("candidate__"), "unit__code", "pk")
    )
    for word in query.split():
        enrolments = enrolments.filter(
            Q(candidate__first_name__icontains=word) | Q(candidate__last_name__icontains=word)
            | Q(unit__code__icontains=word) | Q(unit__title__icontains=word)
            | Q(assessor__first_name__icontains=word) | Q(assessor__last_name__icontains=word)
        )
    # Only the units known changed outside the portfolio (their signed record, or who is on them): the
    # administrator's to-do links here.
    changed_only = request.GET.get("changed") == "1"
    if changed_only:
        enrolments = enrolments.filter(sign_off_seals.record_changed() | Q(case_seal_broken_at__isnull=False))
    page = Pages(enrolments, PORTFOLIOS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "centre": centre,
        "page": page,
        "query": query,
        "changed_only": changed_only,
        "states": selectors.unit_states(page.object_list),
        "eqa_marks": eqa_marks((e.pk for e in page.object_list), viewer=request.user),
        # Who on the page is deactivated at the centre, marked "(deactivated)": one query.
        "deactivated": portfolio_selectors.deactivated_at(
            centre, among=list({e.candidate_id for e in page.object_list} | {e.assessor_id for e in page.object_list}
                               | {e.iqa_id for e in page.object_list}),
        ),
    }
    return render(request, "assessments/centre_portfolios.html", context)

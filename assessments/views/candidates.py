"""The assessor's candidates' units: every enrolment they assess with its progress, a page at a time,
narrowed to one candidate, one unit, those past their target date or those with evidence waiting.
The home page lists only the few nearest their target date and links here."""

from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portfolio.counted_pages import KnownCountPaginator
from portfolio.held_roles import candidate_here
from portfolio.http import AuthenticatedHttpRequest
from portfolio.views.home import SHOW_CHOICES, assessor_enrolments, with_numbers

from .. import home_caseload, queue_choices, selectors
from ..counted import counted_signed_off
from ..progress import with_met

PAGE_SIZE = 25
# `?show=deactivated`: the units of deactivated candidates, which every other choice leaves out and
# counts apart, listed on their own, each linked to its page, which the assessor reads and acts on
# nothing (`access.EnrolmentRights`). Not a choice of the filter: the "not counted" figures of the
# home and of this page link here, and the page says what it lists.
SHOW_DEACTIVATED = "deactivated"


def candidate_units(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.is_assessor(request.user):
        raise Http404("Only assessors have candidates.")
    choices = queue_choices.queue_choices(request.user)
    chosen = queue_choices.QueueFilter.from_query(request.GET, choices)
    show = request.GET.get("show", "")
    if show not in dict(SHOW_CHOICES) and show != SHOW_DEACTIVATED:
        show = ""
    deactivated = show == SHOW_DEACTIVATED
    narrowed = assessor_enrolments(
        request.user, show="" if deactivated else show, candidate_id=chosen.candidate_id, unit_id=chosen.unit_id
    )
    # As in the home page's caseload: a deactivated candidate's units are work for no one, so they are
    # left out (as the candidate filter leaves them out) and counted apart, in the one query the count was.
    here = Q(candidate_here())
    counted = narrowed.aggregate(
        listed=Count("pk", filter=here), left_out=Count("pk", filter=~here),
        left_out_signed_off=Count("pk", filter=~here & counted_signed_off()),
    )
    enrolments = narrowed.exclude(here) if deactivated else narrowed.filter(here)
    listed = counted["left_out"] if deactivated else counted["listed"]
    page = KnownCountPaginator(enrolments, PAGE_SIZE, listed).get_page(request.GET.get("page"))
    # Only this page's rows are counted; an empty list has no rows to count.
    first = max(page.start_index() - 1, 0)
    shown = enrolments[first : page.end_index()] if page.paginator.count else None
    if deactivated:
        # Read only: no figures of work to do, but where each unit stands ("In progress, paused").
        page.object_list = list(shown.select_related("candidate", "unit", "centre")) if shown is not None else []
        states = selectors.unit_states(page.object_list)
    else:
        page.object_list = with_numbers(shown) if shown is not None else []
        with_met(page.object_list)
        selectors.with_record_changed(page.object_list)
        states = {}
    # An empty list says why, each reason truly (an outside trial: "every candidate … deactivated"
    # when one's units had been withdrawn): the units withdrawn or transferred, asked only then.
    closed = 0
    if not counted["listed"] and not chosen.is_active and not show:
        closed = home_caseload.closed_count(request.user)
    return render(
        request,
        "assessments/candidate_units.html",
        {
            "page": page,
            "choices": choices,
            "chosen": chosen,
            "show": show,
            "show_choices": SHOW_CHOICES,
            "deactivated_units": deactivated,
            "states": states,
            "filtered": chosen.is_active or bool(show),
            "today": timezone.localdate(),
            "left_out": counted["left_out"],
            "left_out_signed_off": counted["left_out_signed_off"],
            "closed": closed,
            "several_centres": selectors.assesses_at_several_centres(request.user),
        },
    )

"""The home page. Portfolio reads each role's section; the candidate's and the assessor's sections
gain what only assessments knows: feedback, decisions and sign-offs for the candidate, the queue of
evidence waiting for judgement and the IQA's referrals for the assessor."""

from django.db.models import OuterRef, Subquery
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import Enrolment, Evidence, EvidenceState, Person, Role
from portfolio.views.home import home_context

from .. import selectors
from ..models import Judgement, SignOff
from ..progress import met_counts

QUEUE_SHOWN_AT_HOME = 10


def _assessor_extras(person: Person, query: QueryDict) -> dict:
    choices = selectors.queue_choices(person)
    chosen = selectors.QueueFilter.from_query(query, choices)
    queue = selectors.evidence_queue(person, chosen)
    return {
        "template": "assessments/home_assessor.html",
        "queue": selectors.with_unit_codes(queue[:QUEUE_SHOWN_AT_HOME]),
        "queue_count": queue.count(),
        "choices": choices,
        "chosen": chosen,
        "referrals": list(selectors.referrals_for(person)),
    }


def _candidate_extras(person: Person, enrolments: list) -> dict:
    """The candidate's "To do" beyond their drafts (evidence referred back, with the first line of
    the feedback, and units waiting for their countersignature), and on each unit card how many
    items are met, whether it is signed off and when it was completed. Six queries, however many
    units."""
    feedback = Judgement.objects.filter(evidence=OuterRef("pk")).order_by("-judged_at", "-pk").values("feedback")
    referred = list(
        Evidence.objects.filter(candidate=person, state=EvidenceState.REFERRED)
        .annotate(feedback=Subquery(feedback[:1]))
        .order_by("number")
    )
    for evidence in referred:
        first_line = next(iter((evidence.feedback or "").strip().splitlines()), "")
        evidence.feedback_first_line = first_line  # type: ignore[attr-defined]  # for the template
    met = met_counts(Enrolment.objects.filter(candidate=person))
    standing = list(
        SignOff.objects.standing().filter(enrolment__candidate=person)
        .select_related("enrolment__unit", "assessor").order_by("assessor_signed_at")
    )
    signed = {sign_off.enrolment_id for sign_off in standing}
    states = selectors.unit_states(enrolments)
    for enrolment in enrolments:
        enrolment.met = met.get(enrolment.pk, 0)
        enrolment.signed_off = enrolment.pk in signed
        enrolment.completed_at = states[enrolment.pk].completed_at
    return {"referred": referred, "to_countersign": [s for s in standing if s.candidate_signed_at is None]}


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = home_context(request.user)
    for section in context["sections"]:
        if section["role"] == Role.CANDIDATE:
            section.update(_candidate_extras(request.user, section["enrolments"]))
        if section["role"] == Role.ASSESSOR:
            section.update(_assessor_extras(request.user, request.GET))
    return render(request, "portfolio/home.html", {**context, "now": timezone.now()})

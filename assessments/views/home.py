"""The home page: what each person does next, at a glance. Portfolio reads each role's section;
each gains here what only assessments knows (`home_figures`): for the candidate, feedback,
decisions, sign-offs and progress per unit and element with the next step on each unit; for the
assessor, the queue of evidence waiting (the longest first), the IQA's referrals, the units ready
to sign off and near or past their target date; for the IQA, the units waiting for review and what
the sample covers; for the administrator, the centre's units by where they stand."""

from django.db.models import Count, OuterRef, Subquery
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from portfolio import eqa_middleware, locks
from portfolio.held_roles import as_candidate, case_held
from portfolio.http import AuthenticatedHttpRequest
from portfolio.models import (
    Centre,
    Enrolment,
    EnrolmentStatus,
    Evidence,
    EvidenceState,
    Person,
    PreparedEnrolment,
    PreparedRegistration,
    QualificationRegistration,
    Role,
)
from portfolio.views.home import ASSESSOR_UNITS_SHOWN, home_context, with_numbers

from .. import eqa_units, home_caseload, home_figures, home_iqa_caseload, queue_choices, selectors
from ..caseload import LATE_WORKING_DAYS, oldest_wait_words
from ..centre_to_do import centre_to_do
from ..models import EqaReport, EqaSample, Judgement, SignOff
from ..progress import with_met
from ..qualification_progress import progress_of

QUEUE_SHOWN_AT_HOME = 10
# The assessor's candidates listed before "Show the other ..." (what needs them comes first).
CANDIDATES_FIRST = 15
# The EQA's latest samples and reports, and the reports a centre's people were sent, at home.
EQA_RECORDS_AT_HOME = 8


def _waiting_words(count: int) -> str:
    if not count:
        return "No evidence is waiting for your assessment"
    return f"{count} piece{'s' if count != 1 else ''} of evidence waiting for your assessment"


def _assessor_extras(person: Person, query: QueryDict, waiting: dict) -> dict:
    choices = queue_choices.queue_choices(person)
    chosen = queue_choices.QueueFilter.from_query(query, choices)
    queue = selectors.evidence_queue(person, chosen)
    queue_count, queue_left_out = selectors.queue_counts(person, chosen)
    caseload = home_caseload.assessor_caseload(person)
    # The units not signed off, the nearest their target date (the most overdue) first, with their numbers.
    shown = caseload.open_nearest_target[:ASSESSOR_UNITS_SHOWN]
    enrolments = with_numbers(Enrolment.objects.filter(pk__in=shown or [0]))
    with_met(enrolments)
    selectors.with_record_changed(enrolments)
    return {
        "template": "assessments/home_assessor.html",
        "queue": selectors.with_unit_codes(queue[:QUEUE_SHOWN_AT_HOME]),
        "queue_count": queue_count,
        "queue_left_out": queue_left_out,  # of deactivated candidates: said apart, as the caseload's
        "choices": choices,
        "chosen": chosen,
        "referrals": list(selectors.referrals_for(person)),
        "caseload": caseload,
        "candidates_first": caseload.candidates[:CANDIDATES_FIRST],
        "candidates_rest": caseload.candidates[CANDIDATES_FIRST:],
        "enrolments": enrolments,
        "several_centres": selectors.assesses_at_several_centres(person),  # the table then names each centre
        "open_count": len(caseload.open_nearest_target),
        # With no unit to list, why each one is not (`assessments/no_work_here.html`): asked only then.
        "closed": 0 if caseload.units else home_caseload.closed_count(person),
        "waiting_words": _waiting_words(waiting["count"]),
        "oldest_words": oldest_wait_words(waiting["oldest"], timezone.localdate()),
    }


def _no_open_unit(person: Person, enrolments: list) -> list[str]:
    """Why the candidate cannot add evidence, centre by centre, when none of their units is open
    (each withdrawn or transferred: portfolio.locks.closed_only); empty while one is."""
    if not enrolments or any(e.status == EnrolmentStatus.ACTIVE for e in enrolments):
        return []
    return locks.no_open_unit(person, Centre.objects.filter(pk__in={e.centre_id for e in enrolments}).order_by("name"))


def _candidate_extras(person: Person, enrolments: list, drafts: list) -> dict:
    """The candidate's "To do" beyond their drafts (evidence referred back, with the first line of
    the feedback, and units waiting for their countersignature), and on each unit card its progress
    by kind of item and by element, whether it is signed off, when it was completed and what to do
    next on it. A fixed number of queries, however many units. Evidence at a centre where none of
    their units is open is left out of the "To do": it can be neither changed nor submitted there
    (the page says why, `no_open_unit`)."""
    feedback = Judgement.objects.filter(evidence=OuterRef("pk")).order_by("-judged_at", "-pk").values("feedback")
    referred = list(
        Evidence.objects.filter(as_candidate(person), state=EvidenceState.REFERRED)
        .annotate(feedback=Subquery(feedback[:1]))
        .order_by("number")
    )
    shut = locks.shut_centres(enrolments)
    referred = [evidence for evidence in referred if evidence.centre_id not in shut]
    for evidence in referred:
        first_line = next(iter((evidence.feedback or "").strip().splitlines()), "")
        evidence.feedback_first_line = first_line  # type: ignore[attr-defined]  # for the template
    home_figures.with_unit_cards(enrolments)
    standing = list(
        SignOff.objects.standing().filter(as_candidate(person, "enrolment__"), case_held("enrolment__"))
        .select_related("enrolment__unit", "assessor").order_by("assessor_signed_at")
    )
    signed = {sign_off.enrolment_id: sign_off for sign_off in standing}
    states = selectors.unit_states(enrolments)
    # A candidate at two centres may be on the same unit at each: the cards say which centre.
    centre_ids = {enrolment.centre_id for enrolment in enrolments}
    centre_names = dict(Centre.objects.filter(pk__in=centre_ids).values_list("pk", "name")) if len(centre_ids) > 1 else {}
    for enrolment in enrolments:
        enrolment.centre_name = centre_names.get(enrolment.centre_id, "")
        sign_off = signed.get(enrolment.pk)
        enrolment.signed_off = sign_off is not None
        enrolment.completed_at = states[enrolment.pk].completed_at
        enrolment.next_step = home_figures.card_step(
            enrolment, signed_off=sign_off is not None,
            to_countersign=sign_off is not None and sign_off.candidate_signed_at is None,
        )
    return {
        "template": "assessments/home_candidate.html",
        "no_open_unit": _no_open_unit(person, enrolments),
        "referred": referred,
        "drafts": [evidence for evidence in drafts if evidence.centre_id not in shut],
        "to_countersign": [s for s in standing if s.candidate_signed_at is None],
        "qualifications": list(
            progress_of(QualificationRegistration.objects.filter(as_candidate(person)).select_related("qualification")).values()
        ),
        # Registrations kept when they accepted, until the centre chooses an assessor or IQA (portfolio.services_prepared_held).
        "being_arranged": [
            *PreparedRegistration.objects.filter(
                invitation__accepted_by=person, invitation__cancelled_at__isnull=True,
            ).values_list("qualification__code", "invitation__centre__name").order_by("qualification__code"),
            *PreparedEnrolment.objects.filter(
                invitation__accepted_by=person, invitation__cancelled_at__isnull=True,
            ).values_list("unit__code", "invitation__centre__name").order_by("unit__code"),
        ],
    }


def _iqa_extras(person: Person) -> dict:
    return {
        "template": "assessments/home_iqa.html", "figures": home_figures.iqa_figures(person),
        "caseload": home_iqa_caseload.iqa_caseload(person),
        "eqa_reports": eqa_units.reports_sent_to(person),
    }


def _administrator_extras(person: Person, centres: list) -> dict:
    figures = home_figures.centre_figures(centres)
    for centre in centres:
        centre.figures = figures[centre.pk]
        centre.to_do = centre_to_do(centre)
    return {
        "template": "assessments/home_administrator.html", "eqa_reports": eqa_units.reports_sent_to(person),
        "late_days": LATE_WORKING_DAYS,
    }


def _eqa_extras(person: Person) -> dict:
    samples = EqaSample.objects.filter(eqa=person).select_related("centre").annotate(unit_count=Count("enrolments"))
    return {
        "template": "assessments/home_eqa.html",
        "samples": list(samples.order_by("-planned_on", "-pk")[:EQA_RECORDS_AT_HOME]),
        "reports": eqa_units.with_open_actions(EqaReport.objects.filter(eqa=person))[:EQA_RECORDS_AT_HOME],
    }


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = home_context(request.user)
    # The centres of each role, already read, for the links to the centre's quality-assurance records.
    centres_by_role = dict(context["memberships"])
    # An assessor who is an IQA at the centre too has them once, in the IQA's section (the same links
    # and more): twice on one page was an outside trial's finding.
    also_iqa = {centre.pk for centre in centres_by_role.get(Role.IQA.label, [])}
    for section in context["sections"]:
        section["quality_centres"] = [
            centre for centre in centres_by_role.get(Role(section["role"]).label, [])
            if section["role"] != Role.ASSESSOR or centre.pk not in also_iqa
        ]
        if section["role"] == Role.CANDIDATE:
            section.update(_candidate_extras(request.user, section["enrolments"], section["drafts"]))
        if section["role"] == Role.ASSESSOR:
            section.update(_assessor_extras(request.user, request.GET, section["waiting"]))
        if section["role"] == Role.IQA:
            section.update(_iqa_extras(request.user))
        if section["role"] == Role.ADMINISTRATOR:
            section.update(_administrator_extras(request.user, section["centres"]))
        if section["role"] == Role.EQA:
            section.update(_eqa_extras(request.user))
            if not request.session.get(eqa_middleware.SESSION_KEY):
                # A grant accepted in another session: from now on this one asks for terms and logs too.
                eqa_middleware.remember(request, request.user)
    return render(request, "portfolio/home.html", {**context, "now": timezone.now()})

"""Witness testimony: the candidate or their assessor asks a witness, who has no account, to give
testimony through a single-use link that expires; the testimony becomes evidence.

The link's secret is never stored: only its SHA-256 is, so a copy of the database (or a backup, or
an audit export) holds no working link. The secret lives only in the witness's email.
"""

import datetime
import secrets
from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portfolio import access, audit, held_roles, services
from portfolio.errors import PortfolioError
from portfolio.links import absolute_url
from portfolio.models import AssessmentMethod, Enrolment, EnrolmentStatus, Evidence, EvidenceState, Person
from portfolio.notifications import NotificationKind, notify
from standards.models import Criterion

from .. import testimony_seals
from ..audit_actions import AssessmentAction
from ..models import TestimonyRequest, Witness
from .decisions import require_open_for_evidence
from .witness_links import TestimonyUnavailable as TestimonyUnavailable
from .witness_links import token_digest as token_digest
from .witness_status import check_status, witness_on_list

WITNESS_CONFIRMATION = "I confirm this is a true account of what I saw."
EXPERT_CONFIRMATION = "I am an expert witness (occupationally competent)."
# A testimony shorter than this says too little for an assessor to judge.
MIN_TESTIMONY_CHARACTERS = 30
# Links waiting at once on one unit: plenty for real witnesses, and a limit on how much email
# anyone can make the product send to addresses they type in.
MAX_WAITING_REQUESTS = 10


# Reads ---------------------------------------------------------------------------------------


def testimony_request_for_token(token: str) -> TestimonyRequest | None:
    """The request a link's token opens; None for a token nobody issued, and for a request not as the
    portfolio made it (`testimony_seals`: put in or changed in the database; the centre is told once)."""
    if not token or len(token) > 100:
        return None
    request = TestimonyRequest.objects.filter(token_digest=token_digest(token)).select_related(
        "enrolment__candidate", "enrolment__unit").first()
    return request if request is not None and testimony_seals.vouched(request) else None


def testimony_status(request: TestimonyRequest) -> str:
    """"used", "expired" or "pending": what the link does if the witness opens it now."""
    if request.used_at is not None:
        return "used"
    if request.expires_at <= timezone.now():
        return "expired"
    return "pending"


def no_longer_open(enrolment: Enrolment) -> bool:
    """Whether the unit takes no testimony now, whatever a link already sent says: withdrawn or
    transferred, or its candidate deactivated at the centre since (nothing is judged on their
    evidence meanwhile, `held_roles.deactivated_refusal`). A signed-off unit still takes it, listed
    apart from its record."""
    return enrolment.status != EnrolmentStatus.ACTIVE or bool(held_roles.deactivated_refusal(enrolment))


def testimony_requests_for(enrolment: Enrolment) -> QuerySet[TestimonyRequest]:
    return (
        enrolment.testimony_requests.select_related("requested_by", "evidence", "witness")
        .prefetch_related("criteria")
        .order_by("-requested_at")
    )


def witnesses_of(enrolment: Enrolment) -> QuerySet[Witness]:
    """The candidate's witnesses at the enrolment's centre: those whose testimony is evidence there.
    A witness who testified for them at another centre is that centre's record alone."""
    return Witness.objects.filter(candidate_id=enrolment.candidate_id, centre_id=enrolment.centre_id).order_by("name")


# Writes --------------------------------------------------------------------------------------


def _require_may_request(
    *, enrolment: Enrolment, requested_by: Person, witness_email: str, criteria: list[Criterion],
    valid_for_days: int,
) -> None:
    if requested_by.pk != enrolment.candidate_id and not access.is_assessor_of(requested_by, enrolment):
        raise PortfolioError("Only the candidate or their assessor can ask a witness for testimony.")
    if not criteria:
        raise PortfolioError("Choose at least one criterion the witness saw.")
    if any(c.unit_id != enrolment.unit_id for c in criteria):
        raise PortfolioError(f"Choose criteria of {enrolment.unit.code} only.")
    if access.address_on_the_case(witness_email, enrolment.candidate, enrolment.centre_id):
        raise PortfolioError("A witness is someone else who saw the candidate at work: not the candidate, their "
                             "assessor or IQA, nor the centre’s administrators or external quality assurers.")
    if not 1 <= valid_for_days <= 60:
        raise PortfolioError("A link can be valid for between 1 and 60 days.")
    held_roles.require_candidate_here(enrolment)
    require_open_for_evidence(enrolment)


def _require_room_for_another_link(enrolment: Enrolment, now: datetime.datetime) -> None:
    waiting = enrolment.testimony_requests.filter(used_at__isnull=True, expires_at__gt=now).count()
    if waiting >= MAX_WAITING_REQUESTS:
        raise PortfolioError(
            f"{waiting} links are already waiting for witnesses on {enrolment.unit.code}. "
            "Wait for some of them to be used or to expire before asking again."
        )


def _record_testimony_requested(request: TestimonyRequest, criteria: list[Criterion]) -> None:
    references = [c.reference for c in sorted(criteria, key=lambda c: c.position)]
    # The event names the request, never its token: whoever reads the audit trail must not be
    # able to give testimony in the witness's name.
    audit.record(
        AssessmentAction.TESTIMONY_REQUESTED,
        actor=request.requested_by,
        centre=request.enrolment.centre,
        enrolment=request.enrolment,
        summary=f"Witness testimony requested from {request.witness_name} for {', '.join(references)}",
        after={
            "request": request.pk,
            "witness_name": request.witness_name,
            "witness_email": request.witness_email,
            "criteria": references,
            "expires_at": request.expires_at.isoformat(),
        },
    )


def testimony_request(
    *,
    enrolment: Enrolment,
    requested_by: Person,
    witness_name: str,
    witness_email: str,
    criteria: Iterable[Criterion],
    valid_for_days: int = 14,
) -> TestimonyRequest:
    """Makes a single-use link for the witness and emails it to them.

    The email is sent inside the transaction, as its last step: if it cannot be sent, nothing is
    saved and the requester is told, rather than a request waiting for a witness who never got it.
    """
    criteria = list(criteria)
    witness_email = witness_email.strip().lower()
    witness_name = witness_name.strip()
    _require_may_request(
        enrolment=enrolment, requested_by=requested_by, witness_email=witness_email, criteria=criteria,
        valid_for_days=valid_for_days,
    )
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    _require_room_for_another_link(enrolment, now)
    with transaction.atomic():
        request = TestimonyRequest(
            enrolment=enrolment,
            witness_name=witness_name,
            witness_email=witness_email,
            token_digest=token_digest(token),
            requested_by=requested_by,
            requested_at=now,
            expires_at=now + datetime.timedelta(days=valid_for_days),
        )
        request.full_clean()
        request.save()
        request.criteria.set(criteria)
        _record_testimony_requested(request, criteria)
        _send_link(request, token, criteria)
    return request


def _send_link(request: TestimonyRequest, token: str, criteria: list[Criterion]) -> None:
    enrolment = request.enrolment
    link = absolute_url(reverse("assessments:testimony_give", args=[token]))
    candidate_name = _first_and_last(enrolment.candidate)
    body = render_to_string(
        "assessments/witness_email.txt",
        {
            "request": request,
            "candidate_name": candidate_name,
            "requester_name": _first_and_last(request.requested_by),
            "asked_by_assessor": request.requested_by_id == enrolment.assessor_id,
            "unit": enrolment.unit,
            "criteria": sorted(criteria, key=lambda c: c.position),
            "link": link,
        },
    )
    send_mail(
        subject=f"Please give witness testimony for {candidate_name}",
        message=body,
        from_email=None,
        recipient_list=[request.witness_email],
        fail_silently=False,
    )


def _first_and_last(person: Person) -> str:
    """Only the first and last name: a witness learns nothing else of the person from us."""
    return f"{person.first_name} {person.last_name}".strip() or "The candidate"


def _check_testimony(
    *, testimony: str, witness_name: str, job_role: str, relationship: str, expert: bool, expertise: str,
    seen_on: datetime.date, confirmed: bool,
) -> None:
    """What the witness's form must say before anything is written."""
    if not confirmed:
        raise PortfolioError("Tick the box to confirm this is a true account of what you saw.")
    if len(testimony) < MIN_TESTIMONY_CHARACTERS:
        raise PortfolioError(f"Describe what you saw in at least {MIN_TESTIMONY_CHARACTERS} characters.")
    check_status(
        witness_name=witness_name, job_role=job_role, relationship=relationship, expert=expert, expertise=expertise
    )
    if seen_on > timezone.localdate():
        raise PortfolioError("The date you saw the work cannot be in the future.")


def _open_link(request: TestimonyRequest, token: str) -> tuple[TestimonyRequest, datetime.datetime]:
    """The request, locked, if this token opens it and the link is unused and unexpired; with the
    moment it was found so, which the testimony is given at."""
    request = TestimonyRequest.objects.select_for_update().get(pk=request.pk)
    if not secrets.compare_digest(request.token_digest, token_digest(token)):
        raise PortfolioError("This link does not belong to this request.")
    if not testimony_seals.vouched(request):  # changed in the database since it was looked up
        raise TestimonyUnavailable("unknown")
    if request.used_at is not None:
        raise TestimonyUnavailable("used")
    now = timezone.now()
    if request.expires_at <= now:
        raise TestimonyUnavailable("expired")
    return request, now


def _submitted_testimony(
    *, request: TestimonyRequest, enrolment: Enrolment, criteria: list[Criterion], testimony: str,
    witness_name: str, job_role: str, relationship: str, expert: bool, expertise: str, seen_on: datetime.date,
    seen_at: str, now: datetime.datetime,
) -> Evidence:
    """The testimony as evidence on the candidate's portfolio, mapped to the criteria asked about
    and submitted for assessment at once.

    The evidence is not declared by the candidate (it is the witness's statement, not their own
    work): the witness's confirmation is written at the head of its account and in the audit event.
    It is mapped here, as the system, rather than through `evidence_map`, whose audit event would
    say the candidate mapped it; the criteria are the ones the requester chose.
    """
    header = _account_header(
        witness_name=witness_name, job_role=job_role, relationship=relationship,
        expert=expert, expertise=expertise, given_at=now,
    )
    evidence = services.evidence_create(
        candidate=enrolment.candidate,
        centre=enrolment.centre,
        author=request.requested_by,
        title=f"Witness testimony from {witness_name}"[:200],
        method=AssessmentMethod.EXPERT_WITNESS if expert else AssessmentMethod.WITNESS_TESTIMONY,
        activity_date=seen_on,
        location=seen_at,
        account=f"{header}\n\n{testimony}",
        given_by=f"the witness {witness_name}",
    )
    evidence.criteria.set(criteria)
    evidence.state = EvidenceState.SUBMITTED
    evidence.submitted_at = now
    evidence.save(update_fields=["state", "submitted_at", "updated_at"])
    return evidence


def _record_testimony_given(
    *, request: TestimonyRequest, enrolment: Enrolment, evidence: Evidence, criteria: list[Criterion],
    witness_name: str, job_role: str, relationship: str, expert: bool, expertise: str, seen_on: datetime.date,
    seen_at: str,
) -> None:
    """Who the witness said they were and what they confirmed, as they said it then: the witness
    has no account, so this event is the record of them."""
    references = [c.reference for c in criteria]
    audit.record(
        AssessmentAction.TESTIMONY_GIVEN,
        actor=None,  # the witness has no account; who they are is in `after`
        centre=enrolment.centre,
        enrolment=enrolment,
        evidence=evidence,
        summary=(
            f"{witness_name} ({job_role}) gave {'expert ' if expert else ''}witness testimony: "
            f"{evidence.reference} submitted for assessment, for {', '.join(references)}"
        ),
        before={"request": request.pk, "link": "unused", "state": EvidenceState.DRAFT},
        after={
            "request": request.pk,
            "link": "used",
            "state": evidence.state,
            "witness": {
                "name": witness_name, "job_role": job_role, "relationship": relationship,
                "email": request.witness_email, "expert": expert, "expertise": expertise,
            },
            "confirmation": [WITNESS_CONFIRMATION, *([EXPERT_CONFIRMATION] if expert else [])],
            "evidence": evidence.reference,
            "criteria": references,
            "method": evidence.method,
            "seen_on": seen_on.isoformat(),
            "seen_at": seen_at,
        },
    )


def testimony_give(
    *,
    request: TestimonyRequest,
    token: str,
    testimony: str,
    seen_on: datetime.date,
    seen_at: str,
    witness_name: str,
    job_role: str,
    relationship: str,
    expert: bool,
    confirmed: bool,
    expertise: str = "",
) -> Evidence:
    """The witness's testimony becomes submitted evidence on the candidate's portfolio, mapped to
    the criteria asked about, and the link is used up.

    The request row is locked first, so two submissions of the same link at the same moment make
    one evidence item: the second waits for the first, then finds the link used.
    """
    testimony, witness_name = testimony.strip(), witness_name.strip()
    job_role, relationship, seen_at = job_role.strip(), relationship.strip(), seen_at.strip()
    expertise = expertise.strip() if expert else ""
    _check_testimony(
        testimony=testimony, witness_name=witness_name, job_role=job_role, relationship=relationship,
        expert=expert, expertise=expertise, seen_on=seen_on, confirmed=confirmed,
    )
    with transaction.atomic():
        request, now = _open_link(request, token)
        enrolment = Enrolment.objects.select_related("candidate", "assessor", "centre", "unit").get(
            pk=request.enrolment_id
        )
        if no_longer_open(enrolment):
            raise TestimonyUnavailable("closed")
        criteria = sorted(request.criteria.all(), key=lambda c: c.position)
        evidence = _submitted_testimony(
            request=request, enrolment=enrolment, criteria=criteria, testimony=testimony,
            witness_name=witness_name, job_role=job_role, relationship=relationship, expert=expert,
            expertise=expertise, seen_on=seen_on, seen_at=seen_at, now=now,
        )
        witness = witness_on_list(
            candidate=enrolment.candidate, centre=enrolment.centre, email=request.witness_email,
            name=witness_name, job_role=job_role, relationship=relationship, expert=expert, expertise=expertise,
            confirmed_at=now)
        request.used_at = now
        request.evidence = evidence
        request.witness = witness
        request.save(update_fields=["used_at", "evidence", "witness"])
        _record_testimony_given(
            request=request, enrolment=enrolment, evidence=evidence, criteria=criteria,
            witness_name=witness_name, job_role=job_role, relationship=relationship, expert=expert,
            expertise=expertise, seen_on=seen_on, seen_at=seen_at,
        )
        _notify_testimony_given(enrolment, evidence, witness_name)
    return evidence


def _notify_testimony_given(enrolment: Enrolment, evidence: Evidence, witness_name: str) -> None:
    """The candidate reads of their own unit; the assessor, who has many candidates, is told whose."""
    code, reference = enrolment.unit.code, evidence.reference
    link = reverse("assessments:evidence_detail", args=[evidence.pk])
    for person, whose in ((enrolment.candidate, "your "), (enrolment.assessor, f"{enrolment.candidate}’s ")):
        notify(
            [person],
            f"{witness_name} gave witness testimony for {whose}{code}: {reference} is waiting for assessment",
            subject=f"Witness testimony for {whose}{code}: {reference} waits for assessment",
            centre=enrolment.centre_id, kind=NotificationKind.WITNESS_TESTIMONY, link=link,
        )


def _account_header(
    *, witness_name: str, job_role: str, relationship: str, expert: bool, expertise: str,
    given_at: datetime.datetime,
) -> str:
    lines = [
        f"{'Expert witness' if expert else 'Witness'} testimony given through a single-use link on "
        f"{given_at.day} {given_at:%B %Y at %H:%M} UTC.",
        f"Witness: {witness_name}, {job_role}. Relationship to the candidate: {relationship}.",
        f"The witness confirmed: “{WITNESS_CONFIRMATION}”",
    ]
    if expert:
        lines.append(f"The witness also stated: “{EXPERT_CONFIRMATION}” Their occupational expertise: {expertise}")
    return "\n".join(lines)


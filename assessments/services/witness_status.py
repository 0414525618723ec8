"""The witness status list (City & Guilds' RF03): every witness who gave testimony for a candidate,
their job role, their relationship to the candidate, and whether they are an expert witness and
why, each as the witness confirmed it themselves.

A witness confirms their status when they give testimony (`witness.testimony_give`). One who
testified before the product asked for it is sent a single-use link, by the assessor or a centre
administrator, made and kept as a testimony link is: only the digest of its secret is stored, it
expires, and it works once."""

import datetime
import secrets

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portfolio import access, audit
from portfolio.errors import PortfolioError
from portfolio.links import absolute_url
from portfolio.models import Centre, Enrolment, Person, Role

from ..audit_actions import AssessmentAction
from ..models import TestimonyRequest, Witness, WitnessStatusRequest
from .witness_links import TestimonyUnavailable, token_digest

STATUS_CONFIRMATION = "I confirm these details about me are true."
STATUS_LINK_DAYS = 14
# Why a witness is an expert says something: not a word or two.
MIN_EXPERTISE_CHARACTERS = 10


def check_status(*, witness_name: str, job_role: str, relationship: str, expert: bool, expertise: str) -> None:
    """What a witness must say of themselves, in the words the pages show."""
    if not witness_name:
        raise PortfolioError("Give your name.")
    if not job_role:
        raise PortfolioError("Give your job role.")
    if not relationship:
        raise PortfolioError("Say how you know the candidate.")
    if expert and len(expertise) < MIN_EXPERTISE_CHARACTERS:
        raise PortfolioError(
            "Say why you are an expert witness: your own qualifications and experience in this kind of work."
        )


def witness_on_list(
    *, candidate: Person, centre: Centre, email: str, name: str, job_role: str, relationship: str, expert: bool, expertise: str,
    confirmed_at: datetime.datetime,
) -> Witness:
    """The candidate's witness at this centre with this email, brought up to date with what they now
    confirm of themselves, or a new one. Each testimony keeps what was said at the time in its own
    account. A witness at another centre is not touched: what they say here is this centre's alone."""
    witness = (
        Witness.objects.select_for_update().filter(candidate=candidate, centre=centre, email__iexact=email).first()
    )
    if witness is None:
        witness = Witness(candidate=candidate, centre=centre, email=email)
    witness.name, witness.job_role, witness.relationship = name[:200], job_role[:200], relationship[:200]
    witness.expert, witness.expertise = expert, expertise if expert else ""
    witness.status_confirmed_at = confirmed_at
    witness.full_clean()
    witness.save()
    return witness


def witnesses_of_unit(enrolment: Enrolment) -> list[Witness]:
    """Who gave testimony used on this unit, each once, by name."""
    return list(
        Witness.objects.filter(testimonies__enrolment=enrolment, testimonies__used_at__isnull=False)
        .distinct().order_by("name", "pk")
    )


# Asking a witness to confirm ------------------------------------------------------------------


def _require_may_ask(*, witness: Witness, enrolment: Enrolment, requested_by: Person) -> None:
    roles = access.roles_at(requested_by, enrolment.centre_id)
    if not (access.is_assessor_of(requested_by, enrolment) or Role.ADMINISTRATOR in roles):
        raise PortfolioError("Only the candidate's assessor or a centre administrator asks a witness to confirm.")
    if not TestimonyRequest.objects.filter(enrolment=enrolment, witness=witness, used_at__isnull=False).exists():
        raise PortfolioError("This witness gave no testimony on this unit.")
    if not witness.email:
        raise PortfolioError(f"There is no email address for {witness.name}, so no link can be sent.")
    if witness.status_confirmed_at is not None:
        raise PortfolioError(f"{witness.name} has already confirmed their status.")


def status_request(*, witness: Witness, enrolment: Enrolment, requested_by: Person) -> WitnessStatusRequest:
    """A new single-use link, emailed to the witness (sent as the transaction's last step: if it
    cannot be sent, nothing is saved). An earlier link still waiting stops working."""
    _require_may_ask(witness=witness, enrolment=enrolment, requested_by=requested_by)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        WitnessStatusRequest.objects.filter(witness=witness, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        request = WitnessStatusRequest(
            witness=witness, enrolment=enrolment, token_digest=token_digest(token), requested_by=requested_by,
            requested_at=now, expires_at=now + datetime.timedelta(days=STATUS_LINK_DAYS),
        )
        request.full_clean()
        request.save()
        audit.record(
            AssessmentAction.WITNESS_STATUS_REQUESTED, actor=requested_by, centre=enrolment.centre,
            enrolment=enrolment,
            summary=f"{witness.name} asked to confirm their witness status",
            after={"request": request.pk, "witness": witness.pk, "witness_name": witness.name,
                   "witness_email": witness.email, "expires_at": request.expires_at.isoformat()},
        )
        _send_link(request, token)
    return request


def _send_link(request: WitnessStatusRequest, token: str) -> None:
    candidate = request.enrolment.candidate
    candidate_name = f"{candidate.first_name} {candidate.last_name}".strip() or "the candidate"
    body = render_to_string(
        "assessments/witness_status_email.txt",
        {
            "witness": request.witness, "candidate_name": candidate_name,
            "link": absolute_url(reverse("assessments:witness_status_confirm", args=[token])),
            "expires_at": request.expires_at,
        },
    )
    send_mail(
        subject=f"Please confirm your details as a witness for {candidate_name}", message=body,
        from_email=None, recipient_list=[request.witness.email], fail_silently=False,
    )


# The witness confirms ----------------------------------------------------------------------------


def status_request_for_token(token: str) -> WitnessStatusRequest | None:
    if not token or len(token) > 100:
        return None
    return (
        WitnessStatusRequest.objects.filter(token_digest=token_digest(token))
        .select_related("witness", "enrolment__candidate", "enrolment__unit", "enrolment__centre")
        .first()
    )


def status_link_state(request: WitnessStatusRequest) -> str:
    """"used", "expired" or "pending", as for a testimony link."""
    if request.used_at is not None:
        return "used"
    return "expired" if request.expires_at <= timezone.now() else "pending"


def status_confirm(
    *, request: WitnessStatusRequest, token: str, witness_name: str, job_role: str, relationship: str,
    expert: bool, expertise: str, confirmed: bool,
) -> Witness:
    """The witness's status as they confirm it; the link is used up. Locked first, so the same link
    sent twice at once confirms once."""
    witness_name, job_role, relationship, expertise = (
        witness_name.strip(), job_role.strip(), relationship.strip(), expertise.strip()
    )
    if not confirmed:
        raise PortfolioError("Tick the box to confirm these details are true.")
    check_status(
        witness_name=witness_name, job_role=job_role, relationship=relationship, expert=expert, expertise=expertise
    )
    with transaction.atomic():
        request = WitnessStatusRequest.objects.select_for_update().get(pk=request.pk)
        if not secrets.compare_digest(request.token_digest, token_digest(token)):
            raise PortfolioError("This link does not belong to this request.")
        state = status_link_state(request)
        if state != "pending":
            raise TestimonyUnavailable(state)
        now = timezone.now()
        witness = Witness.objects.select_for_update().get(pk=request.witness_id)
        before = {"name": witness.name, "job_role": witness.job_role, "relationship": witness.relationship}
        witness.name, witness.job_role, witness.relationship = witness_name[:200], job_role[:200], relationship[:200]
        witness.expert, witness.expertise, witness.status_confirmed_at = expert, expertise if expert else "", now
        witness.full_clean()
        witness.save()
        request.used_at = now
        request.save(update_fields=["used_at"])
        enrolment = Enrolment.objects.select_related("centre", "candidate").get(pk=request.enrolment_id)
        audit.record(
            AssessmentAction.WITNESS_STATUS_CONFIRMED, actor=None, centre=enrolment.centre, enrolment=enrolment,
            summary=f"{witness_name} confirmed their witness status",
            before={"request": request.pk, "link": "unused", "witness": before},
            after={
                "request": request.pk, "link": "used",
                "witness": {"name": witness_name, "job_role": job_role, "relationship": relationship,
                            "expert": expert, "expertise": witness.expertise, "email": witness.email},
                "confirmation": STATUS_CONFIRMATION,
            },
        )
    return witness

"""The parts of the candidate's unit page, assembled by its view (`views/unit.py`): the sign-off, the
IQA's reviews, the witnesses and the latest of the audit trail. Who may read the unit is decided in
`access`: these are given what the view fetched through it."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from portfolio import audit_chain
from portfolio.audit_sentences import sentence
from portfolio.models import AuditEvent, Enrolment, Person

from . import fixity, sign_off_seals, voids
from .audit_trail import against_the_record, changes, unit_events
from .models import QualityReview, SignOff, TestimonyRequest, Witness
from .sampling import unchanged_agreements
from .services import witness
from .witness_list import links_paused

AUDIT_EVENTS_SHOWN = 20


@dataclass(frozen=True)
class SignOffPanel:
    sign_off: SignOff | None  # the standing one
    # Whether what was signed is still intact: the database checked now, the files as the last
    # fixity check found them (no page reads a file).
    report: fixity.PageReport | None
    voided: list["VoidedSignOff"]
    # With no sign-off standing: what the enrolment's sealed record of its sign-offs says is wrong
    # with the rows there are (one deleted by hand: `sign_off_seals`). With one, its report says it.
    sign_offs_changed: list[str]


@dataclass(frozen=True)
class VoidedSignOff:
    sign_off: SignOff
    real_unlock: bool  # voided by an unlock in the portfolio (`voids.void_is_signed`)


def sign_off_panel(enrolment: Enrolment, standing: SignOff | None) -> SignOffPanel:
    voided = list(
        SignOff.objects.filter(enrolment=enrolment, voided_at__isnull=False).select_related("assessor", "voided_by")
    )
    # A sign-off marked void by hand still stands (`standing_sign_off`): shown as signed off, with the
    # void among the changes to its record, not among the unlocks.
    return SignOffPanel(
        sign_off=standing, report=fixity.page_report(standing) if standing else None,
        voided=[VoidedSignOff(s, voids.void_is_signed(s)) for s in voided if not (standing and s.pk == standing.pk)],
        # With a sign-off standing, its report has it (`record_seals.record_problems`), and queues a check.
        sign_offs_changed=[] if standing else sign_off_seals.found(enrolment),
    )


@dataclass(frozen=True)
class QualityPanel:
    reviews: list[QualityReview]  # what the IQA decided, newest first
    in_sample: bool
    open_referrals: list[QualityReview]  # the assessor's to answer, with their form
    # In the sample, but the IQA agreed with the decisions so far and nothing is new since: the
    # agreement (`sampling.unchanged_agreements`), so the page does not say it waits for review.
    agreed_unchanged: QualityReview | None = None
    # The sign-offs among the reviews' that an unlock voided (`voids.void_is_signed`); one marked
    # void otherwise was voided by hand, and the panel says so rather than calling it an unlock.
    unlocked: frozenset[int] = frozenset()


def quality_panel(enrolment: Enrolment, *, for_its_assessor: bool) -> QualityPanel:
    """The IQA's reviews of the unit. For its assessor, the referrals still open stand out above,
    with their form, rather than twice."""
    reviews: list[QualityReview] = list(
        QualityReview.objects.filter(enrolment=enrolment)
        .select_related("iqa", "sign_off__voided_by")
        # In the same query: whether it is an agreement nothing has changed since (not waiting for review).
        .annotate(unchanged=Exists(unchanged_agreements().filter(pk=OuterRef("pk"))))
        .order_by("-sampled_at", "-pk")
    )
    open_referrals = [
        r
        for r in reviews
        if for_its_assessor and r.outcome == QualityReview.Outcome.REFERRED and r.actions_done_at is None
    ]
    in_sample = any(r.outcome == QualityReview.Outcome.SAMPLED for r in reviews)
    return QualityPanel(
        reviews=[r for r in reviews if r.outcome != QualityReview.Outcome.SAMPLED and r not in open_referrals],
        in_sample=in_sample,
        open_referrals=open_referrals,
        agreed_unchanged=next((r for r in reviews if getattr(r, "unchanged", False)), None) if in_sample else None,
        unlocked=frozenset(r.sign_off.pk for r in reviews if r.sign_off and voids.void_is_signed(r.sign_off)),
    )


@dataclass(frozen=True)
class WitnessPanel:
    witnesses: list[Witness]
    requests: list[TestimonyRequest]  # each with its `status`: "pending", "paused", "used" or "expired"


def witness_panel(enrolment: Enrolment) -> WitnessPanel:
    requests = list(witness.testimony_requests_for(enrolment))
    paused = links_paused(enrolment)
    for testimony_request in requests:
        status = witness.testimony_status(testimony_request)
        testimony_request.status = "paused" if paused and status == "pending" else status  # type: ignore[attr-defined]  # for the template
    return WitnessPanel(witnesses=list(witness.witnesses_of(enrolment)), requests=requests)


@dataclass(frozen=True)
class AuditTrailPanel:
    events: list[AuditEvent]  # the latest, each with its `sentence` and `changes`
    total: int
    # What of the unit's whole trail is not as the portfolio wrote it (`portfolio.audit_chain`): an
    # outside trial deleted a decision's event, and the trail said it kept every event as written.
    chain_problems: list[str]


def audit_trail_panel(enrolment: Enrolment, *, viewer: Person, sign_off: SignOff | None = None) -> AuditTrailPanel:
    events = unit_events(enrolment, viewer=viewer)
    # The evidence and the candidate are named in the sentences (a deleted draft's evidence is None).
    latest = list(events.select_related("evidence", "candidate")[:AUDIT_EVENTS_SHOWN])
    against = against_the_record(sign_off)
    for event in latest:
        event.sentence = sentence(event)  # type: ignore[attr-defined]  # for the template
        # What the sentence does not say: values the event changed or removed, not those it brought.
        event.changes = [c for c in changes(event) if not c.added]  # type: ignore[attr-defined]  # for the template
        event.against_record = against(event)  # type: ignore[attr-defined]  # for the template
    return AuditTrailPanel(
        events=latest, total=events.count() if len(latest) == AUDIT_EVENTS_SHOWN else len(latest),
        chain_problems=[problem.words for problem in audit_chain.problems_of(events)],
    )

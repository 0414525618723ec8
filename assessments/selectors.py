"""What an assessor reads: the evidence waiting for them, the units they assess, and what their IQA
has referred back to them; and the parts of the candidate's unit page. Who may read what is decided
in `access`: these functions are given what the view fetched through it."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from portfolio import dates, locks
from portfolio import selectors as portfolio_selectors
from portfolio.audit_sentences import sentence
from portfolio.case_evidence import evidence_of
from portfolio.held_roles import as_assessor, candidate_here
from portfolio.models import (
    AuditEvent,
    Enrolment,
    EnrolmentStatus,
    Evidence,
    EvidenceState,
    Membership,
    Person,
    Role,
)
from portfolio.referrals import ItemNote, ReferralFeedback
from portfolio.waiting import waiting_for
from standards.models import Criterion, KnowledgeItem

from . import fixity, record_seals
from .audit_trail import against_the_record, changes, unit_events
from .counted import left_out
from .models import Judgement, QualityReview, SignOff, TestimonyRequest, Witness
from .queue_choices import UNFILTERED, QueueFilter
from .sampling import unchanged_agreements, with_state
from .services import witness
from .unit_state import PAUSED, Badge, UnitState, completed_at
from .witness_list import links_paused


def is_assessor(person: Person) -> bool:
    return Role.ASSESSOR in portfolio_selectors.roles_of(person)


def assesses_at_several_centres(person: Person) -> bool:
    """Whether the person is an assessor at more than one centre: their units' tables then name each
    row's centre (an outside trial: with two centres the rows were ambiguous). One query."""
    return Membership.objects.filter(person=person, role=Role.ASSESSOR).values("centre").distinct().count() > 1


def evidence_queue(assessor: Person, chosen: QueueFilter = UNFILTERED) -> QuerySet[Evidence]:
    """Submitted evidence of the assessor's candidates, the longest waiting first. Not a deactivated
    candidate's: they work on nothing here, so it waits for no one (as their units are in no
    caseload); `queue_counts` says how many are left out."""
    return _submitted_to(assessor, chosen).filter(candidate_here())


def queue_counts(assessor: Person, chosen: QueueFilter = UNFILTERED) -> tuple[int, int]:
    """How many are in the queue, and how many of deactivated candidates are left out of it: one query."""
    here = Q(candidate_here())
    counted = _submitted_to(assessor, chosen).aggregate(waiting=Count("pk", filter=here), left_out=Count("pk", filter=~here))
    return counted["waiting"], counted["left_out"]


def _submitted_to(assessor: Person, chosen: QueueFilter) -> QuerySet[Evidence]:
    queue = (
        # The evidence waiting for them, by the rule their home counts it (`portfolio.waiting`).
        waiting_for(assessor)
        .select_related("candidate")
        .order_by("submitted_at", "pk")
    )
    if chosen.candidate_id is not None:
        queue = queue.filter(candidate_id=chosen.candidate_id)
    if chosen.unit_id is not None:
        queue = queue.filter(_mapped_to_unit(chosen.unit_id))
    return queue


def _mapped_to_unit(unit_id: int) -> Q:
    criteria = Evidence.criteria.through.objects.filter(evidence=OuterRef("pk"), criterion__unit_id=unit_id)
    knowledge = Evidence.knowledge_items.through.objects.filter(
        evidence=OuterRef("pk"), knowledgeitem__unit_id=unit_id
    )
    return Q(Exists(criteria)) | Q(Exists(knowledge))


def after_judging(assessor: Person, evidence: Evidence) -> tuple[Evidence | None, Enrolment | None]:
    """Where the assessor goes once the evidence is judged: the next evidence of the same candidate
    waiting for them on one of its units (the queue's order), or, when none is left, the first of
    its units they assess, for its decisions review. Only units the evidence is mapped to."""
    unit_ids = {
        *evidence.criteria.values_list("unit_id", flat=True),
        *evidence.knowledge_items.values_list("unit_id", flat=True),
    }
    enrolments = (
        Enrolment.objects.filter(
            as_assessor(assessor), candidate_id=evidence.candidate_id, centre_id=evidence.centre_id, unit_id__in=unit_ids
        )
        .select_related("unit")
        .order_by("unit__code")
    )
    mine = [e.unit_id for e in enrolments]
    if not mine:
        return None, None
    on_its_units = Q()
    for unit_id in mine:
        on_its_units |= _mapped_to_unit(unit_id)
    waiting = (
        evidence_queue(assessor, QueueFilter(candidate_id=evidence.candidate_id))
        .exclude(pk=evidence.pk)
        .filter(on_its_units)
        .first()
    )
    return waiting, (None if waiting else enrolments.first())


def with_unit_codes(shown: Iterable[Evidence]) -> list[Evidence]:
    """The evidence of `shown` (a slice of a queue), each with `unit_codes`: the units its criteria
    and knowledge items belong to, and `signed_off_only`: the signed-off units, when those are all
    it is mapped to (`portfolio.locks`). Eight queries however long the list, and as many when it
    is empty. The codes are read by the ids of the evidence already read, not through the queue's
    query again, which would run the whole queue twice more."""
    evidence = list(shown)
    codes: dict[int, set[str]] = {item.pk: set() for item in evidence}
    # No id is 0: an empty page still asks (Django answers an empty list without asking), so the
    # page reads the same number of queries whether anything waits or not.
    ids = [item.pk for item in evidence] or [0]
    for model, field in (
        (Evidence.criteria.through, "criterion__unit__code"),
        (Evidence.knowledge_items.through, "knowledgeitem__unit__code"),
    ):
        rows = model.objects.filter(evidence_id__in=ids).values_list("evidence_id", field)
        for evidence_id, code in rows:
            codes.setdefault(evidence_id, set()).add(code)
    signed_off_only = locks.signed_off_only(evidence)
    for item in evidence:
        item.unit_codes = sorted(codes[item.pk])  # type: ignore[attr-defined]  # for the template
        # Mapped only to signed-off units: judging it will not change their signed records.
        item.signed_off_only = signed_off_only.get(item.pk, [])  # type: ignore[attr-defined]  # for the template
    return evidence


def referrals_for(assessor: Person) -> QuerySet[QualityReview]:
    """What IQAs referred back to this assessor and the assessor has not yet done."""
    return (
        QualityReview.objects.filter(
            as_assessor(assessor, "enrolment__"),
            outcome=QualityReview.Outcome.REFERRED,
            actions_done_at__isnull=True,
        )
        .select_related("enrolment__candidate", "enrolment__unit", "iqa")
        .order_by("reviewed_at", "sampled_at")
    )


def waiting_for_unit(enrolment: Enrolment) -> int:
    """How many of the candidate's submitted evidence items are mapped to this unit."""
    return (
        evidence_of(enrolment).filter(state=EvidenceState.SUBMITTED)
        .filter(_mapped_to_unit(enrolment.unit_id))
        .count()
    )


def latest_referral(evidence: Evidence) -> ReferralFeedback | None:
    """The assessor's feedback on the latest round, if it referred the evidence back: what the
    candidate's Change page shows above the form (`portfolio.referrals`)."""
    judgement = (
        Judgement.objects.filter(evidence=evidence).select_related("assessor")
        .prefetch_related("notes__criterion", "notes__knowledge_item").order_by("-judged_at", "-pk").first()
    )
    if judgement is None or judgement.outcome != Judgement.Outcome.REFERRED:
        return None
    return ReferralFeedback(
        assessor_name=judgement.assessor.get_full_name() or judgement.assessor.email,
        referred_at=judgement.judged_at,
        version=judgement.version,
        feedback=judgement.feedback,
        notes=[ItemNote(note.item.reference, note.text) for note in judgement.notes.all()],
    )


def unit_items(enrolment: Enrolment) -> tuple[QuerySet[Criterion], QuerySet[KnowledgeItem]]:
    """The unit's criteria and knowledge items, in the standard's order, for mapping an assessor's record."""
    return (
        Criterion.objects.filter(unit_id=enrolment.unit_id).order_by("position"),
        KnowledgeItem.objects.filter(unit_id=enrolment.unit_id).order_by("position"),
    )


# The candidate's unit page, assembled by its view. --------------------------------------------

AUDIT_EVENTS_SHOWN = 20


@dataclass(frozen=True)
class SignOffPanel:
    sign_off: SignOff | None  # the standing one
    # Whether what was signed is still intact: the database checked now, the files as the last
    # fixity check found them (no page reads a file).
    report: fixity.PageReport | None
    voided: list["VoidedSignOff"]


@dataclass(frozen=True)
class VoidedSignOff:
    sign_off: SignOff
    real_unlock: bool  # voided by an unlock in the portfolio (`record_seals.void_verdict`)


def sign_off_panel(enrolment: Enrolment, standing: SignOff | None) -> SignOffPanel:
    voided = list(
        SignOff.objects.filter(enrolment=enrolment, voided_at__isnull=False).select_related("assessor", "voided_by")
    )
    return SignOffPanel(
        sign_off=standing, report=fixity.page_report(standing) if standing else None,
        voided=[VoidedSignOff(s, record_seals.void_verdict(s) is not record_seals.VoidVerdict.NOT_A_REAL_UNLOCK)
                for s in voided],
    )


@dataclass(frozen=True)
class QualityPanel:
    reviews: list[QualityReview]  # what the IQA decided, newest first
    in_sample: bool
    open_referrals: list[QualityReview]  # the assessor's to answer, with their form
    # In the sample, but the IQA agreed with the decisions so far and nothing is new since: the
    # agreement (`sampling.unchanged_agreements`), so the page does not say it waits for review.
    agreed_unchanged: QualityReview | None = None


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
        events=latest, total=events.count() if len(latest) == AUDIT_EVENTS_SHOWN else len(latest)
    )


# Where each unit stands (in progress, signed off, countersigned by the candidate, by the IQA), for
# lists of enrolments such as the centre's. ------------------------------------------------------


IN_PROGRESS = UnitState.IN_PROGRESS.badge


def _day(moment: datetime.datetime | None) -> str:
    return dates.day(moment)


@dataclass(frozen=True)
class _Reviews:
    """What the IQA's reviews say of one unit's standing sign-off, for its state and completion."""

    countersigned_at: datetime.datetime | None = None  # the latest countersignature of it
    referred: bool = False  # the IQA referred it back (answered or not)
    waiting: bool = False  # a review waits in the IQA's sample


def _state(key: str, sign_off: SignOff | None, reviews: _Reviews) -> Badge:
    """The badge of a state of `sampling.with_state` (the IQA's sample page lists and filters by
    the same states), with the dates that go with it and when the unit was completed."""
    state = UnitState(key)
    if state == UnitState.IN_PROGRESS or sign_off is None:
        return IN_PROGRESS
    completed = completed_at(
        state, candidate_countersigned_at=sign_off.candidate_signed_at,
        iqa_countersigned_at=reviews.countersigned_at, iqa_to_review=reviews.waiting or reviews.referred,
    )
    if state == UnitState.REFERRED:
        return replace(state.badge, detail=f"Signed off {_day(sign_off.assessor_signed_at)}")
    if state == UnitState.COUNTERSIGNED:
        detail = f"completed {_day(completed)}, when the IQA countersigned" if completed else _day(reviews.countersigned_at)
        return replace(state.badge, detail=detail, completed_at=completed)
    if state == UnitState.SIGNED_OFF:
        if completed:
            detail = f"completed {_day(completed)}, when the candidate countersigned"
        else:
            detail = f"countersigned by the candidate {_day(sign_off.candidate_signed_at)}; waiting for the IQA’s review"
        return replace(state.badge, detail=detail, completed_at=completed)
    return state.badge


def unit_states(enrolments: Iterable[object]) -> dict[int, Badge]:
    """Each enrolment's state by its id, with when it was completed, in three queries however many
    enrolments; a withdrawn or transferred one is shown as that, whatever its record says."""
    listed = [e for e in enrolments if isinstance(e, Enrolment)]
    ids = [e.pk for e in listed]
    keys: dict[int, str] = {}
    paused: set[int] = set()
    # A deactivated candidate's unit not signed off is paused, by the home's rule (`counted.left_out`).
    for pk, key, is_paused in with_state(Enrolment.objects.filter(pk__in=ids)).annotate(
        paused=ExpressionWrapper(left_out(), output_field=BooleanField())
    ).values_list("pk", "state", "paused"):
        keys[pk] = key
        if is_paused:
            paused.add(pk)
    standing = {s.enrolment_id: s for s in SignOff.objects.standing().without_record().filter(enrolment_id__in=ids)}
    reviews: dict[int, _Reviews] = {}
    rows = (
        QualityReview.objects.filter(
            Q(sign_off__in=list(standing.values())) | Q(enrolment_id__in=ids, outcome=QualityReview.Outcome.SAMPLED)
        )
        .order_by("reviewed_at", "pk")  # the latest countersignature wins
        .values_list("enrolment_id", "sign_off_id", "outcome", "reviewed_at")
    )
    for enrolment_id, sign_off_id, outcome, reviewed_at in rows:
        found = reviews.get(enrolment_id, _Reviews())
        of_standing = enrolment_id in standing and standing[enrolment_id].pk == sign_off_id
        if outcome == QualityReview.Outcome.SAMPLED:
            found = replace(found, waiting=True)
        elif of_standing and outcome == QualityReview.Outcome.COUNTERSIGNED:
            found = replace(found, countersigned_at=reviewed_at)
        elif of_standing and outcome == QualityReview.Outcome.REFERRED:
            found = replace(found, referred=True)
        reviews[enrolment_id] = found
    closed = {e.pk: e.get_status_display() for e in listed if e.status != EnrolmentStatus.ACTIVE}
    return {
        pk: Badge(closed[pk], "dark") if pk in closed
        else PAUSED if pk in paused
        else _state(keys.get(pk, UnitState.IN_PROGRESS), standing.get(pk), reviews.get(pk, _Reviews()))
        for pk in ids
    }


def countersigned_by_iqa(enrolment_ids: Iterable[int]) -> set[int]:
    """The enrolments among these whose state is "IQA countersigned" (`sampling.with_state`: an IQA
    countersigned the standing sign-off, and no referral waits): portfolio's answer to "is the IQA's
    work on this unit done?" (`portfolio.work_done`), for handing units over and leaving."""
    return set(
        with_state(Enrolment.objects.filter(pk__in=list(enrolment_ids)))
        .filter(state=UnitState.COUNTERSIGNED).values_list("pk", flat=True)
    )


def locked_since(enrolment_ids: Iterable[int]) -> dict[int, datetime.datetime]:
    """The enrolments among these that a standing sign-off locks, each with when it was signed:
    portfolio's answer to "may evidence be mapped or submitted to this unit?" (`portfolio.locks`)."""
    ids = list(enrolment_ids)
    locked = dict(SignOff.objects.standing().filter(enrolment_id__in=ids).values_list("enrolment_id", "assessor_signed_at"))
    # A sign-off voided by hand, not by an unlock, locks the unit still (`record_seals.voided_outside`).
    forged = record_seals.voided_outside([pk for pk in ids if pk not in locked])
    return locked | {pk: sign_off.assessor_signed_at for pk, sign_off in forged.items()}

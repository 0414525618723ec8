"""What is not part of a signed-off unit's record, for the pages that show the record to keep apart.

- Evidence mapped to the unit that the sign-off does not name. Added after sign-off: it was made,
  mapped to the unit, submitted, accepted or referred back after the assessor signed (a witness's
  testimony asked for before the sign-off and given after it, say, or evidence that was waiting to
  be judged and was judged since). Or mapped before, but cited by no signed decision (evidence
  referred back, say, or a draft: listed to its candidate alone, `portfolio.access.shown_to`).
- What rightly came after the signature: the candidate's countersignature and the IQA's sampling,
  countersignature or referral, each with its time.

Read in a fixed number of queries, however much evidence the candidate has.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q

from portfolio.access import shown_to
from portfolio.audit import PortfolioAction
from portfolio.case_evidence import evidence_of
from portfolio.models import AuditEvent, Enrolment, Evidence, Person
from standards.models import Criterion, KnowledgeItem, ScopeItem
from standards.selectors import UnitStructure

from .audit_actions import AssessmentAction
from .models import QualityReview, SignOff
from .signed_record import SignedRecord

# What each action did to the evidence, in the words a page uses after "Added after sign-off: ".
_AFTER: dict[str, str] = {
    PortfolioAction.EVIDENCE_CREATED: "added",
    PortfolioAction.EVIDENCE_MAPPED: "mapped to this unit",
    PortfolioAction.EVIDENCE_SUBMITTED: "submitted",
    AssessmentAction.EVIDENCE_ACCEPTED: "accepted",
    AssessmentAction.EVIDENCE_REFERRED: "referred back",
    AssessmentAction.TESTIMONY_GIVEN: "given by a witness",
}


@dataclass(frozen=True)
class OutsideEvidence:
    """Evidence mapped to the unit that is not part of its signed record."""

    evidence: Evidence
    mapped_to: list[str]  # the references of the unit's items it is mapped to
    after: str  # what first happened to it after the sign-off ("submitted"); "" if nothing did
    at: datetime.datetime | None  # when


@dataclass(frozen=True)
class LaterRecord:
    """Something that rightly came after the sign-off: a countersignature or a QA record."""

    at: datetime.datetime
    what: str


@dataclass
class AfterSignOff:
    added_after: list[OutsideEvidence]  # changed after the sign-off, the first change first
    not_cited: list[OutsideEvidence]  # mapped before it, cited by no signed decision
    later: list[LaterRecord]  # oldest first

    @property
    def outside_ids(self) -> set[int]:
        return {o.evidence.pk for o in self.added_after + self.not_cited}


def _name(person: Person) -> str:
    return person.get_full_name() or person.email


def _unit_evidence(enrolment: Enrolment, record: SignedRecord, viewer: Person | None) -> list[Evidence]:
    """The unit's evidence outside the record that `viewer` may see: a draft is its candidate's
    alone (`shown_to`), signed-off unit or not."""
    unit_id = enrolment.unit_id
    on_unit = Q(criteria__unit_id=unit_id) | Q(knowledge_items__unit_id=unit_id) | Q(scope_items__category__unit_id=unit_id)
    return list(
        evidence_of(enrolment)
        .filter(pk__in=Evidence.objects.filter(on_unit).values("pk"))
        .exclude(pk__in=record.evidence_ids)
        .filter(shown_to(viewer))
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.filter(unit_id=unit_id).order_by("position"),
                     to_attr="unit_criteria"),
            Prefetch("knowledge_items", queryset=KnowledgeItem.objects.filter(unit_id=unit_id).order_by("position"),
                     to_attr="unit_knowledge"),
            Prefetch("scope_items", queryset=ScopeItem.objects.filter(category__unit_id=unit_id).order_by("reference"),
                     to_attr="unit_scope"),
        )
        .order_by("number")
    )


def _maps_to_unit(event: AuditEvent, references: set[str]) -> bool:
    """A mapping event that added one of the unit's items (rather than one of another unit's)."""

    def items(side: object) -> set[str]:
        if not isinstance(side, dict):
            return set()
        return {str(ref) for values in side.values() if isinstance(values, list) for ref in values}

    return bool((items(event.after) - items(event.before)) & references)


def _first_after(
    evidence: list[Evidence], signed_at: datetime.datetime, references: set[str]
) -> dict[int, tuple[str, datetime.datetime]]:
    """For each evidence item, the first thing that happened to it after the sign-off, from its
    audit trail; one made after the sign-off with no trail (written into the database by hand)
    counts as added when it was made."""
    first: dict[int, tuple[str, datetime.datetime]] = {}
    events = AuditEvent.objects.filter(
        evidence_id__in=[e.pk for e in evidence], at__gt=signed_at, action__in=list(_AFTER)
    ).order_by("at", "pk")
    for event in events:
        if event.evidence_id in first:
            continue
        if event.action == PortfolioAction.EVIDENCE_MAPPED and not _maps_to_unit(event, references):
            continue
        first[event.evidence_id] = (_AFTER[event.action], event.at)
    for item in evidence:
        if item.pk not in first and item.created_at > signed_at:
            first[item.pk] = (_AFTER[PortfolioAction.EVIDENCE_CREATED], item.created_at)
    return first


def _later_records(sign_off: SignOff, enrolment: Enrolment) -> list[LaterRecord]:
    later = []
    if sign_off.candidate_signed_at is not None:
        later.append(LaterRecord(sign_off.candidate_signed_at, f"Countersigned by the candidate, {_name(enrolment.candidate)}"))
    signed_at = sign_off.assessor_signed_at
    reviews = QualityReview.objects.filter(enrolment=enrolment).select_related("iqa")
    for review in reviews.filter(Q(sampled_at__gt=signed_at) | Q(reviewed_at__gt=signed_at) | Q(actions_done_at__gt=signed_at)):
        iqa = _name(review.iqa)
        if review.sampled_at > signed_at:
            later.append(LaterRecord(review.sampled_at, f"Taken into the IQA’s sample by {iqa}"))
        if review.reviewed_at and review.reviewed_at > signed_at:
            if review.outcome == QualityReview.Outcome.COUNTERSIGNED:
                later.append(LaterRecord(review.reviewed_at, f"Countersigned by the IQA, {iqa}"))
            elif review.outcome == QualityReview.Outcome.REFERRED:
                later.append(LaterRecord(review.reviewed_at, f"Referred back to the assessor by the IQA, {iqa}"))
        if review.actions_done_at and review.actions_done_at > signed_at:
            later.append(LaterRecord(review.actions_done_at, "The assessor recorded the IQA’s actions as done"))
    return sorted(later, key=lambda record: record.at)


def after_sign_off(record: SignedRecord, structure: UnitStructure, *, viewer: Person | None) -> AfterSignOff:
    """What is not part of the record, as `viewer` may see it (None: nobody's candidate, so no
    draft)."""
    enrolment = record.enrolment
    evidence = _unit_evidence(enrolment, record, viewer)
    references = {c.reference for c in structure.criteria} | {k.reference for k in structure.knowledge_items}
    references |= {s.reference for c in structure.scope_categories for s in c.items.all()}
    first = _first_after(evidence, record.signed_at, references)
    outside = [
        OutsideEvidence(
            evidence=e,
            mapped_to=[i.reference for i in (*e.unit_criteria, *e.unit_knowledge, *e.unit_scope)],  # type: ignore[attr-defined]  # prefetched
            after=first[e.pk][0] if e.pk in first else "",
            at=first[e.pk][1] if e.pk in first else None,
        )
        for e in evidence
    ]
    added_after = sorted((o for o in outside if o.at is not None), key=lambda o: (o.at, o.evidence.number))
    return AfterSignOff(
        added_after=added_after,
        not_cited=[o for o in outside if o.at is None],
        later=_later_records(record.sign_off, enrolment),
    )

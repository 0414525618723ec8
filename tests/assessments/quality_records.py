"""Records built straight in the database for the IQA, sampling and unit-state tests: these tests are
about the IQA's moves, not about how evidence is judged or a unit signed off."""

from django.utils import timezone

from assessments.models import Decision, Judgement, SignOff
from assessments.services import decisions, iqa, signoff
from portfolio.models import AssessmentMethod, Enrolment, Evidence, EvidenceState, Role
from standards.models import Criterion, KnowledgeItem, ScopeItem
from tests.factories import CentreFactory, EvidenceFactory, load_standards, member


def accepted_evidence(enrolment: Enrolment, method: str = AssessmentMethod.REFLECTIVE_ACCOUNT, **fields) -> Evidence:
    return EvidenceFactory(
        centre=enrolment.centre, candidate=enrolment.candidate, method=method, state=EvidenceState.ACCEPTED, **fields
    )


def decide(enrolment: Enrolment, *evidence: Evidence, count: int = 1) -> list[Decision]:
    """Records the unit's next `count` unmet criteria as met, citing the evidence."""
    met = Decision.objects.filter(enrolment=enrolment, withdrawn_at__isnull=True).values("criterion")
    criteria = Criterion.objects.filter(unit=enrolment.unit).exclude(pk__in=met).order_by("position")[:count]
    decisions = []
    for criterion in criteria:
        decision = Decision.objects.create(
            enrolment=enrolment, criterion=criterion, decided_by=enrolment.assessor, decided_at=timezone.now()
        )
        decision.evidence.set(evidence)
        decisions.append(decision)
    return decisions


def sign_off(enrolment: Enrolment, *, countersigned: bool = True) -> SignOff:
    """A standing sign-off row. Its manifest is empty: nothing here checks what it rests on."""
    now = timezone.now()
    return SignOff.objects.create(
        enrolment=enrolment,
        assessor=enrolment.assessor,
        assessor_signed_at=now,
        assessor_declaration=SignOff.ASSESSOR_DECLARATION,
        candidate_signed_at=now if countersigned else None,
        candidate_declaration=SignOff.CANDIDATE_DECLARATION if countersigned else "",
        manifest={},
        decisions_digest="0" * 64,
        signature="0" * 64,
    )


def signed_off_through_the_services(enrolment: Enrolment, *, countersigned: bool = True) -> SignOff:
    """The whole unit met, citing one accepted evidence item the assessor recorded as covering the
    whole scope, signed off by the assessor and (unless told otherwise) countersigned by the
    candidate, through the product's own services."""
    evidence = accepted_evidence(enrolment, title=f"Everything for {enrolment.unit.code}")
    # A decision cites only evidence mapped to its item: the candidate's mapping comes first.
    evidence.criteria.add(*Criterion.objects.filter(unit=enrolment.unit))
    evidence.knowledge_items.add(*KnowledgeItem.objects.filter(unit=enrolment.unit))
    judgement = Judgement.objects.create(
        evidence=evidence, version=evidence.version, outcome=Judgement.Outcome.ACCEPTED, valid=True,
        authentic=True, current=True, sufficient=True, assessor=enrolment.assessor, judged_at=timezone.now(),
    )
    judgement.scope_items.set(ScopeItem.objects.filter(category__unit=enrolment.unit))
    today = timezone.localdate()
    for criterion in Criterion.objects.filter(unit=enrolment.unit):
        decisions.decision_record(
            enrolment=enrolment, assessor=enrolment.assessor, criterion=criterion, evidence=[evidence], decided_on=today
        )
    for item in KnowledgeItem.objects.filter(unit=enrolment.unit):
        decisions.decision_record(
            enrolment=enrolment, assessor=enrolment.assessor, knowledge_item=item, evidence=[evidence], decided_on=today
        )
    signed = signoff.unit_sign_off(enrolment=enrolment, assessor=enrolment.assessor, declared=True)
    if countersigned:
        signed = signoff.unit_countersign(enrolment=enrolment, candidate=enrolment.candidate, declared=True)
    return signed


def countersigned_by_the_iqa(enrolment: Enrolment) -> SignOff:
    """As `signed_off_through_the_services`, then taken into its IQA's sample and countersigned by
    them (the unit's state: "IQA countersigned"), through the product's own services."""
    signed = signed_off_through_the_services(enrolment)
    iqa.sample_add(iqa=enrolment.iqa, enrolments=[enrolment])
    iqa.review_record(review_or_enrolment=enrolment, iqa=enrolment.iqa, outcome="countersigned")
    return signed


def riverside_team():
    """The standards loaded, and a centre with Alice (candidate), Bob (assessor) and Carol (IQA):
    (centre, alice, bob, carol), for the IQA's sample tests."""
    load_standards()
    centre = CentreFactory(name="Riverside Training")
    alice = member(centre, Role.CANDIDATE, first_name="Alice", last_name="Adams", email="alice@example.org")
    bob = member(centre, Role.ASSESSOR, first_name="Bob", last_name="Baker", email="bob@example.org")
    carol = member(centre, Role.IQA, first_name="Carol", last_name="Clark", email="carol@example.org")
    return centre, alice, bob, carol

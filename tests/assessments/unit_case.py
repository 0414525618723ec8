"""A candidate's case for the decision, sign-off and audit tests, built with the services.

The people are the shared cast (tests/cast.py): Alice is the candidate, on HSC331 and H3 25; Bob
is her assessor and Carol her IQA; Grace administers their centre. Dave is another candidate there
and Erin his assessor. Frank administers another centre.
"""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.models import Judgement
from assessments.services import decisions, judging
from portfolio import services
from portfolio.models import AssessmentMethod, Centre, Enrolment, Evidence, EvidenceState, Person
from standards.models import Criterion, KnowledgeItem, ScopeItem
from tests import cast
from tests.factories import load_standards
from tests.portfolio import hostile_files

PEOPLE = ["alice", "dave", "bob", "erin", "carol", "grace", "frank"]


@dataclass
class Case:
    centre: Centre
    people: dict[str, Person]
    hsc331: Enrolment
    h3_25: Enrolment
    dave_hsc331: Enrolment

    def __getattr__(self, name: str) -> Person:
        try:
            return self.__dict__["people"][name]
        except KeyError:
            raise AttributeError(name) from None


def build_case() -> Case:
    """The shared cast (tests/cast.py) with Alice's two units and Dave's."""
    load_standards()
    world = cast.build_world()
    return Case(
        centre=world.centre, people=world.people, hsc331=world.hsc331, h3_25=world.h3_25,
        dave_hsc331=world.daves_unit,
    )


def photo(name: str = "visit-photo.png", size: tuple[int, int] = (32, 32)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, hostile_files.png_image(size), content_type="image/png")


def items(enrolment: Enrolment) -> tuple[list[Criterion], list[KnowledgeItem]]:
    return (
        list(Criterion.objects.filter(unit=enrolment.unit).order_by("position")),
        list(KnowledgeItem.objects.filter(unit=enrolment.unit).order_by("position")),
    )


def submitted_evidence(
    case: Case, *, candidate: Person | None = None, title: str = "Supporting a family visit",
    references: list[str] | None = None, uploads: list | None = None, enrolment: Enrolment | None = None,
) -> Evidence:
    """Evidence made, mapped (by default to every item of the enrolment's unit, its scope too) and
    submitted."""
    candidate = candidate or case.alice
    enrolment = enrolment or case.hsc331
    evidence = services.evidence_create(
        candidate=candidate, centre=case.centre, author=candidate, title=title,
        method=AssessmentMethod.REFLECTIVE_ACCOUNT,
        activity_date=timezone.localdate() - datetime.timedelta(days=10),
        account="I supported Person A to phone their sister and plan a visit.",
        uploads=uploads if uploads is not None else [photo()],
    )
    if references is None:
        criteria, knowledge = items(enrolment)
        scope = list(ScopeItem.objects.filter(category__unit=enrolment.unit))
    else:
        # References repeat from one version of a unit to the next: the items of the versions the
        # candidate is registered on (holistic evidence maps to several units).
        criteria = list(Criterion.objects.filter(reference__in=references, unit__enrolments__candidate=candidate))
        knowledge = list(KnowledgeItem.objects.filter(reference__in=references, unit__enrolments__candidate=candidate))
        scope = list(ScopeItem.objects.filter(reference__in=references, category__unit__enrolments__candidate=candidate))
    services.evidence_map(
        evidence=evidence, editor=candidate, criteria=criteria, knowledge_items=knowledge, scope_items=scope
    )
    return services.evidence_submit(evidence=evidence, candidate=candidate, declared=True)


def accept(evidence: Evidence, assessor: Person) -> Evidence:
    """What the assessor's acceptance leaves behind (judging is tested on its own elsewhere), with
    the scope recorded as the candidate mapped it."""
    judgement = Judgement.objects.create(
        evidence=evidence, version=evidence.version, outcome=Judgement.Outcome.ACCEPTED, valid=True,
        authentic=True, current=True, sufficient=True, assessor=assessor, judged_at=timezone.now(),
    )
    judgement.scope_items.set(evidence.scope_items.all())
    judging.record_units_judged(judgement)
    Evidence.objects.filter(pk=evidence.pk).update(state=EvidenceState.ACCEPTED)
    evidence.refresh_from_db()
    return evidence


def accepted_evidence(case: Case, **kwargs) -> Evidence:
    return accept(submitted_evidence(case, **kwargs), case.bob)


def meet(case: Case, enrolment: Enrolment, evidence: list[Evidence], *, skip: int = 0, assessor=None) -> None:
    """Records every item of the unit as met (but the last `skip` of them), citing the evidence."""
    criteria, knowledge = items(enrolment)
    every: list[Criterion | KnowledgeItem] = [*criteria, *knowledge]
    for item in every[: len(every) - skip]:
        decisions.decision_record(
            enrolment=enrolment, assessor=assessor or enrolment.assessor, evidence=evidence,
            decided_on=timezone.localdate(),
            criterion=item if isinstance(item, Criterion) else None,
            knowledge_item=item if isinstance(item, KnowledgeItem) else None,
        )


def signed_as_the_service_signs(enrolment: Enrolment, assessor: Person):
    """A sign-off made, not saved, from the unit's standing decisions, the evidence they and the scope
    record rest on, and the scope coverage: what the sign-off service signs, without its checks."""
    from assessments import integrity, scope

    decisions = integrity.standing_decisions(enrolment)
    record = scope.open_record(enrolment)
    return integrity.signed_sign_off(
        enrolment=enrolment, assessor=assessor, signed_at=timezone.now(), decisions=decisions,
        evidence_items=integrity.cited_evidence(decisions, also=record.evidence), scope_coverage=record.categories,
    )


def listed(enrolment: Enrolment) -> dict[str, str]:
    """The sign-off form's hidden field for the standing decisions, as the page renders it: what a
    test posting the form by hand sends with it."""
    from assessments.integrity import standing_decisions
    from assessments.services.seen_signing import decisions_token

    return {"decisions": decisions_token(standing_decisions(enrolment))}


def signed_off_case(*, countersigned_and_reviewed: bool = False) -> Case:
    """Alice's HSC331 met on one accepted item and signed off by Bob through the services (`case.sign_off`);
    with `countersigned_and_reviewed`, countersigned by Alice and by Carol, her IQA, too."""
    from assessments.services import iqa
    from assessments.services import signoff as sign_off_services

    case = build_case()
    meet(case, case.hsc331, [accepted_evidence(case, title="Supporting a family visit")])
    case.sign_off = sign_off_services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)  # type: ignore[attr-defined]
    if countersigned_and_reviewed:
        sign_off_services.unit_countersign(enrolment=case.hsc331, candidate=case.alice, declared=True)
        iqa.sample_add(iqa=case.carol, enrolments=[case.hsc331])
        iqa.review_record(review_or_enrolment=case.hsc331, iqa=case.carol, outcome="countersigned", comments="Sound.")
    return case

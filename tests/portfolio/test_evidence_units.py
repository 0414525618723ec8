"""The table of which units each piece of evidence bears on (`portfolio.EvidenceUnit`), kept by the
database's triggers, against the evidence and its mappings it is derived from: after each kind of
change a writer makes (the services, bulk inserts, bare updates and deletes), the rows kept are the
rows worked out afresh. The caseload report and the IQA's sample read it (their figures are counted
by hand in tests/assessments/test_caseload.py and the sampling tests)."""

import datetime

import pytest
from django.utils import timezone

from assessments.services import judging
from portfolio import services
from portfolio.models import AssessmentMethod, Evidence, EvidenceState, EvidenceUnit
from standards.models import Criterion, KnowledgeItem
from tests.assessments.unit_case import accept, build_case, submitted_evidence
from tests.factories import EvidenceFactory
from tests.migrating import latest, migrate_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return build_case()


COPIED = ("candidate_id", "centre_id", "state", "method", "submitted_at")


def worked_out() -> set[tuple]:
    """Every item with each unit it is mapped to, read from the evidence itself."""
    rows = set()
    for item in Evidence.objects.all():
        units = {c.unit_id for c in item.criteria.all()} | {k.unit_id for k in item.knowledge_items.all()}
        rows |= {(item.pk, unit, *(getattr(item, name) for name in COPIED)) for unit in units}
    return rows


def kept() -> set[tuple]:
    return set(EvidenceUnit.objects.values_list("evidence", "unit", *(name.removesuffix("_id") for name in COPIED)))


def units_of(item: Evidence, state: str = EvidenceState.SUBMITTED) -> set[str]:
    """The units the item bears on in `state` (none when it is in another), the whole table checked."""
    assert kept() == worked_out()
    return set(EvidenceUnit.objects.filter(evidence=item, state=state).values_list("unit__code", flat=True))


def test_evidence_bears_on_each_unit_it_is_mapped_to_in_its_state(case):
    both = submitted_evidence(case, title="Both units", references=["HSC331a.1", "H3 25.1"])
    draft = services.evidence_create(
        candidate=case.alice, centre=case.centre, author=case.alice, title="Not yet sent",
        method=both.method, activity_date=timezone.localdate(), account="Notes.", uploads=[],
    )
    draft.criteria.set(Criterion.objects.filter(unit=case.hsc331.unit)[:2])
    assert units_of(both) == {"HSC331", "H3 25"}
    assert units_of(draft) == set() and units_of(draft, EvidenceState.DRAFT) == {"HSC331"}
    assert EvidenceUnit.objects.get(evidence=both, unit=case.hsc331.unit).submitted_at == both.submitted_at


def test_a_unit_stays_while_any_of_its_items_is_mapped_and_goes_with_the_last(case):
    item = submitted_evidence(case, references=["HSC331a.1", "HSC331a.2"])
    first, second = item.criteria.order_by("position")
    item.criteria.remove(first)
    assert units_of(item) == {"HSC331"}
    knowledge = KnowledgeItem.objects.filter(unit=case.hsc331.unit).first()
    item.knowledge_items.add(knowledge)
    item.criteria.remove(second)
    assert units_of(item) == {"HSC331"}  # the knowledge item holds it
    item.knowledge_items.clear()
    assert units_of(item) == set()
    item.criteria.add(Criterion.objects.filter(unit=case.h3_25.unit).first())
    assert units_of(item) == {"H3 25"}


def test_judged_evidence_waits_no_more_and_referred_evidence_resubmitted_waits_again(case):
    accepted = accept(submitted_evidence(case, title="Accepted"), case.bob)
    assert units_of(accepted) == set() and units_of(accepted, EvidenceState.ACCEPTED) == {"HSC331"}
    referred = submitted_evidence(case, title="Referred", references=["HSC331a.1"])
    judging.evidence_refer_back(evidence=referred, assessor=case.bob, feedback="Say who you supported.")
    assert units_of(referred) == set()
    services.evidence_submit(evidence=referred, candidate=case.alice, declared=True)
    assert units_of(referred) == {"HSC331"}


def test_a_new_submission_time_is_kept_and_bare_updates_and_deletes_are_followed(case):
    item = submitted_evidence(case, references=["HSC331a.1"])
    earlier = timezone.now() - datetime.timedelta(days=12)
    Evidence.objects.filter(pk=item.pk).update(submitted_at=earlier)
    assert EvidenceUnit.objects.get(evidence=item).submitted_at == earlier
    assert units_of(item) == {"HSC331"}
    Evidence.objects.filter(pk=item.pk).update(state=EvidenceState.ACCEPTED, method=AssessmentMethod.DIRECT_OBSERVATION)
    assert units_of(item) == set() and units_of(item, EvidenceState.ACCEPTED) == {"HSC331"}
    assert EvidenceUnit.objects.get(evidence=item).method == AssessmentMethod.DIRECT_OBSERVATION
    Evidence.objects.filter(pk=item.pk).update(state=EvidenceState.SUBMITTED)
    assert units_of(item) == {"HSC331"}
    # Written straight to the database (no declaration, no files), so that it can be deleted.
    bare = EvidenceFactory(candidate=case.alice, centre=case.centre, number=99, state=EvidenceState.SUBMITTED,
                           submitted_at=earlier)
    bare.criteria.set(Criterion.objects.filter(unit=case.h3_25.unit)[:3])
    assert units_of(bare) == {"H3 25"}
    bare.delete()
    assert not EvidenceUnit.objects.filter(evidence_id=bare.pk).exists()
    assert kept() == worked_out()


def test_mappings_written_in_bulk_as_the_centre_generator_writes_them_are_kept(case):
    item = submitted_evidence(case, references=["HSC331a.1"])
    through = Evidence.knowledge_items.through
    through.objects.bulk_create([through(evidence=item, knowledgeitem=KnowledgeItem.objects.filter(unit=case.h3_25.unit).first())])
    assert units_of(item) == {"HSC331", "H3 25"}


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_table_from_the_evidence_there_is():
    case = build_case()
    waiting = submitted_evidence(case, title="Waiting", references=["HSC331a.1", "H3 25.1"])
    accept(submitted_evidence(case, title="Accepted"), case.bob)
    newest = latest()
    try:
        migrate_to([("portfolio", "0046_audit_event_by_centre")])
    finally:
        migrate_to(newest)
    assert kept() == worked_out() and units_of(waiting) == {"HSC331", "H3 25"}

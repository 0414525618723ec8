"""The units a judgement bears on: recorded by the judging service when the assessor judges, as the
evidence is mapped then, and read by the decisions report (`caseload_staff.decisions_by_month`).
Earlier judgements get theirs from the migration that added them (assessments 0020), which must
record what the service would.

People as in tests/assessments/judging_people.py: Alice is the candidate, Bob her assessor on
HSC331 and H3 25; Frank administers another centre."""

import importlib

import pytest
from django.db import connection

from assessments.caseload import Narrowed
from assessments.caseload_staff import decisions_by_month
from assessments.models import JudgedEnrolment, Judgement
from assessments.services import judging
from portfolio import services
from portfolio.models import AssessmentMethod, Enrolment
from standards.models import Criterion
from tests.assessments.judging_people import draft, fresh, last_week, submitted

pytestmark = pytest.mark.django_db

ALL_VACS = dict.fromkeys(judging.VACS, True)


def _units(judgement: Judgement) -> set[str]:
    return set(judgement.enrolments.values_list("unit__code", flat=True))


def _judged(enrolments, assessor) -> tuple[int, int]:
    """Bob's evidence judged this month, accepted and referred back, among these enrolments."""
    months = decisions_by_month(enrolments, [assessor.pk], Narrowed()).get(assessor.pk, [])
    return (months[0].accepted, months[0].referred) if months else (0, 0)


def test_accepting_holistic_evidence_records_both_units_and_the_report_counts_it_once(alice, bob, hsc331, h3_25):
    evidence = submitted(alice, hsc331, criteria=("HSC331a.1", "H3 25.3"))

    judgement = judging.evidence_accept(evidence=evidence, assessor=bob, **ALL_VACS)

    assert _units(judgement) == {"HSC331", "H3 25"}
    assert set(judgement.enrolments.all()) == {hsc331, h3_25}
    # Once for the centre, once for either unit alone: one item of evidence judged, not two.
    assert _judged(Enrolment.objects.filter(centre=hsc331.centre), bob) == (1, 0)
    assert _judged(Enrolment.objects.filter(pk=hsc331.pk), bob) == (1, 0)
    assert _judged(Enrolment.objects.filter(pk=h3_25.pk), bob) == (1, 0)


def test_a_referral_keeps_the_units_the_evidence_was_mapped_to_when_it_was_judged(alice, bob, hsc331, h3_25):
    evidence = submitted(alice, hsc331)
    referral = judging.evidence_refer_back(evidence=evidence, assessor=bob, feedback="Say what Person A chose.")
    # Alice maps it to H3 25 instead and sends it again; Bob accepts it.
    services.evidence_map(
        evidence=fresh(evidence), editor=alice, criteria=Criterion.objects.filter(reference="H3 25.3", unit=h3_25.unit),
        knowledge_items=[], scope_items=[],
    )
    services.evidence_submit(evidence=fresh(evidence), candidate=alice, declared=True)
    acceptance = judging.evidence_accept(evidence=fresh(evidence), assessor=bob, **ALL_VACS)

    assert _units(referral) == {"HSC331"}
    assert _units(acceptance) == {"H3 25"}
    assert _judged(Enrolment.objects.filter(pk=hsc331.pk), bob) == (0, 1)
    assert _judged(Enrolment.objects.filter(pk=h3_25.pk), bob) == (1, 0)


def test_the_assessors_own_record_bears_on_its_unit(alice, bob, hsc331):
    evidence = judging.assessor_evidence_record(
        enrolment=hsc331, assessor=bob, title="Observed a family visit", method=AssessmentMethod.DIRECT_OBSERVATION,
        activity_date=last_week(), location="Day centre", account="Alice supported Person A to plan a visit.",
        criteria=list(Criterion.objects.filter(reference="HSC331a.1", unit=hsc331.unit)),
    )

    assert _units(Judgement.objects.get(evidence=evidence)) == {"HSC331"}


def test_the_migration_records_for_earlier_judgements_what_the_service_records(alice, bob, hsc331, h3_25):
    holistic = submitted(alice, hsc331, criteria=("HSC331a.1", "H3 25.3"))
    judging.evidence_accept(evidence=holistic, assessor=bob, **ALL_VACS)
    judging.evidence_refer_back(evidence=submitted(alice, h3_25, criteria=("H3 25.1",)), assessor=bob, feedback="More.")
    draft(alice, hsc331)  # not judged: no row
    recorded = set(JudgedEnrolment.objects.values_list("judgement_id", "enrolment_id", "assessor_id", "judged_at", "outcome"))
    JudgedEnrolment.objects.all().delete()

    migration = importlib.import_module("assessments.migrations.0020_judged_enrolments")
    with connection.cursor() as cursor:
        cursor.execute(migration.RECORD_UNITS_JUDGED)

    assert len(recorded) == 3
    assert set(JudgedEnrolment.objects.values_list("judgement_id", "enrolment_id", "assessor_id", "judged_at", "outcome")) == recorded

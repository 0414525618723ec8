"""The standing decisions counted as they are made (`assessments.met_counts`): after each kind of
change the counts kept are the counts the decisions give, and the progress report's summary, read
from the counts kept, says what counting the decisions says, under every filter. The centre is
tests/ops/test_reports.py's: Alice's HSC331 met but its last 5 knowledge items (every criterion
met), her H3 25 and Dave's HSC331 with nothing met."""

import datetime
import importlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments import caseload, caseload_elements, met_counts
from assessments.caseload import Narrowed
from assessments.models import CriterionMet, Decision, EnrolmentMet
from assessments.services import decide, decisions, judging, signoff, versions
from assessments.services.decide import Proof
from ops.reports import units as unit_reports
from portfolio.models import Enrolment, QualificationRegistration
from portfolio.services_enrolments import enrolment_transfer, enrolment_withdraw
from portfolio.services_people import membership_deactivate, membership_reactivate
from standards.demo_qualification import demo_qualification
from standards.models import Criterion
from tests.assessments.unit_case import accepted_evidence, meet, submitted_evidence
from tests.ops.test_reports import case  # noqa: F401  (case: the fixture of that centre)
from tests.standards.unit_versions import new_version

pytestmark = pytest.mark.django_db


def _kept_as_counted(centre_case) -> met_counts.MetCounts:
    kept, live = met_counts.kept_counts(centre_case.centre), met_counts.live_counts(centre_case.centre)
    assert kept == live
    return kept


def _summary(centre_case, narrowed: Narrowed) -> tuple[dict[str, int], list[tuple[str, str, int, int]]]:
    page = unit_reports.progress_page(centre_case.centre, narrowed, {})
    elements = [(e.unit_code, e.code, e.met, e.total) for e, _ in page["elements"]]
    return dict(page["counts"]), elements


def _counted_live(centre_case, narrowed: Narrowed) -> tuple[dict[str, int], list[tuple[str, str, int, int]]]:
    units = unit_reports.centre_units(centre_case.centre, narrowed)
    by_status = caseload.rag_counts(units)  # `met` counted from the decisions, not kept
    elements = [(e.unit_code, e.code, e.met, e.total) for e in caseload_elements.element_progress(units)]
    return {caseload.Rag(value).label: n for value, n in by_status.items()}, elements


def _filters(centre_case) -> list[Narrowed]:
    hsc331 = centre_case.hsc331.unit_id
    return [
        Narrowed(), Narrowed(unit_id=hsc331), Narrowed(assessor_id=centre_case.bob.pk), Narrowed(assessor_id=centre_case.erin.pk),
        Narrowed(qualification_id=demo_qualification().pk),
        Narrowed(date_from=timezone.localdate()), Narrowed(unit_id=hsc331, date_to=timezone.localdate()),
    ]


def _summary_as_counted(centre_case) -> None:
    for narrowed in _filters(centre_case):
        assert _summary(centre_case, narrowed) == _counted_live(centre_case, narrowed), narrowed


def _criterion(reference: str) -> Criterion:
    return next(c for c in Criterion.objects.select_related("unit", "element") if c.reference == reference)


def test_the_summary_against_hand_counts(case):  # noqa: F811
    counts, elements = _summary(case, Narrowed())
    assert counts == {"Overdue": 1, "At risk": 1, "On track": 1, "Signed off": 0}
    # Alice's HSC331 has every criterion met; Dave's none: half of each element's pairs.
    assert elements == [("HSC331", "HSC331a", 4, 8), ("HSC331", "HSC331b", 6, 12), ("HSC331", "HSC331c", 7, 14),
                        ("H3 25", "", 0, 12)]
    assert _kept_as_counted(case).by_enrolment == {case.hsc331.pk: 29}
    _summary_as_counted(case)


def test_counts_follow_decisions_recorded_withdrawn_and_recorded_again(case):  # noqa: F811
    a1 = decisions.standing_decision_on(case.hsc331, _criterion("HSC331a.1"))
    k12 = Decision.objects.standing().get(enrolment=case.hsc331, knowledge_item__isnull=False,
                                          knowledge_item__label="12")
    decisions.decision_withdraw(decision=a1, assessor=case.bob, reason="The observation was of another resident.")
    decisions.decision_withdraw(decision=k12, assessor=case.bob, reason="Asked again at the review.")
    assert _kept_as_counted(case).by_enrolment == {case.hsc331.pk: 27}
    assert _summary(case, Narrowed())[1][0] == ("HSC331", "HSC331a", 3, 8)
    _summary_as_counted(case)

    # Recorded again, on other evidence: the withdrawn decision stays on record and counts no more.
    decisions.decision_record(enrolment=case.hsc331, assessor=case.bob, criterion=a1.criterion,
                              evidence=[accepted_evidence(case, references=["HSC331a.1"])],
                              decided_on=timezone.localdate())
    meet(case, case.dave_hsc331, [accepted_evidence(case, candidate=case.dave, enrolment=case.dave_hsc331)], skip=30)
    assert _kept_as_counted(case).by_enrolment == {case.hsc331.pk: 28, case.dave_hsc331.pk: 4}
    assert _summary(case, Narrowed())[1][0] == ("HSC331", "HSC331a", 8, 8)
    _summary_as_counted(case)


def test_several_decisions_at_once_are_counted_each_criterion_written_once_in_order(case):  # noqa: F811
    evidence = accepted_evidence(case, candidate=case.dave, enrolment=case.dave_hsc331)
    proofs = [Proof(_criterion(r), [evidence]) for r in ("HSC331c.7", "HSC331a.2", "HSC331b.1")]
    with CaptureQueriesContext(connection) as ctx:
        decide.decisions_record(enrolment=case.dave_hsc331, assessor=case.erin, proofs=proofs,
                                decided_on=timezone.localdate())
    written = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('UPDATE "assessments_criterionmet"')]
    # Written after every decision, lowest criterion first, so that two assessors recording items
    # in other orders never each hold a count the other waits for.
    order = sorted(p.item.pk for p in proofs)
    assert [int(re.search(r'"criterion_id" = (\d+)', sql)[1]) for sql in written] == order
    assert _kept_as_counted(case).by_enrolment[case.dave_hsc331.pk] == 3

    waiting = submitted_evidence(case, candidate=case.dave, enrolment=case.dave_hsc331,
                                 references=["HSC331a.1", "HSC331a.3", "HSC331 K1"])
    judging.evidence_accept(evidence=waiting, assessor=case.erin, valid=True, authentic=True, current=True,
                            sufficient=True, proves=[_criterion("HSC331a.3"), _criterion("HSC331a.1")])
    assert _kept_as_counted(case).by_enrolment[case.dave_hsc331.pk] == 5
    _summary_as_counted(case)


def test_a_decision_refused_counts_nothing(case):  # noqa: F811
    a1 = _criterion("HSC331a.1")
    with pytest.raises(Exception, match="already"):
        decisions.decision_record(enrolment=case.hsc331, assessor=case.bob, criterion=a1,
                                  evidence=[accepted_evidence(case)], decided_on=timezone.localdate())
    assert _kept_as_counted(case).by_enrolment == {case.hsc331.pk: 29}


def test_counts_follow_a_unit_moved_to_another_version(case):  # noqa: F811
    version_2 = new_version("HSC331", "2", words={"HSC331a.1": "you support individuals to say what they want:"},
                            dropped=("HSC331c.7",))
    versions.enrolment_move_version(enrolment=case.hsc331, to_unit=version_2, administrator=case.grace)
    kept = _kept_as_counted(case)
    assert kept.by_enrolment == {case.hsc331.pk: 27}  # a.1's words changed and c.7 is gone: both withdrawn
    assert set(Criterion.objects.filter(pk__in=kept.by_criterion).values_list("unit", flat=True)) == {version_2.pk}
    _summary_as_counted(case)
    assert _summary(case, Narrowed(unit_id=version_2.pk))[1][0] == ("HSC331", "HSC331a", 3, 4)


def test_sign_off_and_unlock_leave_the_counts_and_move_the_unit_to_signed_off(case):  # noqa: F811
    meet(case, case.h3_25, [accepted_evidence(case, enrolment=case.h3_25)])
    signoff.unit_sign_off(enrolment=case.h3_25, assessor=case.bob, declared=True)
    before = _kept_as_counted(case)
    assert _summary(case, Narrowed())[0]["Signed off"] == 1
    _summary_as_counted(case)
    signoff.unit_unlock(enrolment=case.h3_25, person=case.bob, reason="The IQA asked for K(c) again.")
    assert _kept_as_counted(case) == before
    _summary_as_counted(case)


def test_units_withdrawn_transferred_or_of_a_deactivated_candidate_leave_the_summary(case):  # noqa: F811
    QualificationRegistration.objects.create(candidate=case.alice, qualification=demo_qualification(),
                                             centre=case.centre, registered_by=case.grace)
    enrolment_withdraw(enrolment=case.h3_25, effective_date=timezone.localdate(), reason="Left the job.",
                       changed_by=case.grace)
    _summary_as_counted(case)
    enrolment_transfer(enrolment=case.hsc331, to_centre="Hillside College", effective_date=timezone.localdate(),
                       reason="Moved away.", changed_by=case.grace)
    _kept_as_counted(case)  # the decisions still stand on the closed unit; the report leaves it out
    assert _summary(case, Narrowed())[1] == [("HSC331", "HSC331a", 0, 4), ("HSC331", "HSC331b", 0, 6),
                                              ("HSC331", "HSC331c", 0, 7)]
    _summary_as_counted(case)


def test_a_deactivated_candidates_decisions_leave_the_summary_and_come_back(case):  # noqa: F811
    membership_deactivate(centre=case.centre, person=case.alice, deactivated_by=case.grace,
                          reason="Left the centre.")
    assert _summary(case, Narrowed())[1] == [("HSC331", "HSC331a", 0, 4), ("HSC331", "HSC331b", 0, 6),
                                              ("HSC331", "HSC331c", 0, 7)]
    _summary_as_counted(case)
    membership_reactivate(centre=case.centre, person=case.alice, reactivated_by=case.grace, reason="Back at the centre.")
    assert _summary(case, Narrowed())[1][0] == ("HSC331", "HSC331a", 4, 8)
    _summary_as_counted(case)


def test_recount_and_the_migrations_count_give_the_counts_the_services_keep(case):  # noqa: F811
    kept = _kept_as_counted(case)
    met_counts.recount(case.centre)
    assert met_counts.kept_counts(case.centre) == kept

    migration = importlib.import_module("assessments.migrations.0021_met_counts")
    EnrolmentMet.objects.all().delete()
    CriterionMet.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(migration.COUNT_BY_ENROLMENT)
        cursor.execute(migration.COUNT_BY_CRITERION)
    assert met_counts.kept_counts(case.centre) == kept


def test_a_unit_with_no_decision_yet_has_no_count_kept_and_is_counted_as_none_met(case):  # noqa: F811
    Enrolment.objects.filter(pk=case.dave_hsc331.pk).update(target_date=timezone.localdate() + datetime.timedelta(days=400))
    assert not EnrolmentMet.objects.filter(enrolment=case.dave_hsc331).exists()
    # 0 of 34 met with 100 of its 500 days gone: 20 points behind, not more than 20.
    assert _summary(case, Narrowed(assessor_id=case.erin.pk))[0]["On track"] == 1
    _summary_as_counted(case)

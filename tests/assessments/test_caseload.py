"""The centre's figures (assessments/caseload.py): the RAG rule at its boundaries, in Python and in
the database alike; working days; the evidence waiting for each assessor.

HSC331 has 17 criteria and 17 knowledge items (34 items); a unit is given 100 days from start to
target, so a day gone is a point of time gone."""

import datetime

import pytest
from django.utils import timezone

from assessments import caseload
from assessments.caseload import Rag, rag, working_days_waited
from assessments.models import Decision, SignOff
from portfolio.models import Enrolment, Evidence
from tests.assessments.unit_case import (
    accepted_evidence,
    build_case,
    meet,
    signed_as_the_service_signs,
    submitted_evidence,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 11)  # a Wednesday
ITEMS = 34


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# (days gone of 100, items met of 34, signed off) -> status
CASES = [
    # 50 days gone: at risk once met is 29 points or more behind; 30% of 34 is 10.2 items.
    ((50, 11, False), Rag.ON_TRACK),  # 32.4% met: 17.6 points behind
    ((50, 10, False), Rag.AT_RISK),  # 29.4% met: 20.6 points behind
    ((40, 7, False), Rag.ON_TRACK),  # 20.6% met: 19.4 points behind
    ((40, 6, False), Rag.AT_RISK),  # 17.6% met: 22.4 points behind
    ((0, 0, False), Rag.ON_TRACK),  # the first day: nothing gone, nothing met
    # Within 30 days of the target: at risk under 75% met (25.5 items), whatever the lag.
    ((69, 34, False), Rag.ON_TRACK),  # 31 days left
    ((70, 26, False), Rag.ON_TRACK),  # 30 days left, 76.5% met
    ((70, 25, False), Rag.AT_RISK),  # 30 days left, 73.5% met
    ((69, 25, False), Rag.ON_TRACK),  # 31 days left, 73.5% met, 4.5 points behind
    # The target date itself is not past; the day after is.
    ((100, 34, False), Rag.ON_TRACK),
    ((101, 34, False), Rag.OVERDUE),
    ((101, 0, True), Rag.COMPLETE),  # signed off: never overdue
    ((50, 0, True), Rag.COMPLETE),
]


@pytest.mark.parametrize(("given", "expected"), CASES, ids=[f"{g}-{e.value}" for g, e in CASES])
def test_the_rag_rule_at_its_boundaries(given, expected):
    gone, met, signed_off = given
    start = TODAY - _days(gone)
    assert rag(start=start, target=start + _days(100), today=TODAY, met=met, items=ITEMS, signed_off=signed_off) == expected


def test_exactly_twenty_points_behind_is_not_at_risk():
    # 17 of 34 met is 50%; 140 of 200 days gone is 70%, 141 is 70.5% (60 days left: no closing rule).
    start = TODAY - _days(140)
    assert rag(start=start, target=start + _days(200), today=TODAY, met=17, items=ITEMS, signed_off=False) == Rag.ON_TRACK
    start = TODAY - _days(141)
    assert rag(start=start, target=start + _days(200), today=TODAY, met=17, items=ITEMS, signed_off=False) == Rag.AT_RISK


@pytest.fixture
def case():
    return build_case()


def test_the_database_gives_the_same_status_as_the_rule(case):
    """Every case above, as an enrolment in the database, read back by `with_rag`."""
    meet(case, case.hsc331, [accepted_evidence(case)], skip=0)
    unit = case.hsc331
    decisions = list(Decision.objects.filter(enrolment=unit).order_by("pk"))
    for (gone, met, signed_off), expected in CASES:
        Decision.objects.filter(enrolment=unit).update(withdrawn_at=None)
        Decision.objects.filter(pk__in=[d.pk for d in decisions[met:]]).update(withdrawn_at=timezone.now())
        start = TODAY - _days(gone)
        Enrolment.objects.filter(pk=unit.pk).update(start_date=start, target_date=start + _days(100))
        SignOff.objects.filter(enrolment=unit).delete()
        if signed_off:
            signed_as_the_service_signs(unit, case.bob).save()
        found = caseload.with_rag(Enrolment.objects.filter(pk=unit.pk), TODAY).get()
        assert (found.items, found.met) == (ITEMS, met)
        assert found.rag == expected, (gone, met, signed_off)


def test_rag_counts_count_each_status(case):
    Enrolment.objects.filter(pk=case.hsc331.pk).update(target_date=TODAY - _days(1), start_date=TODAY - _days(60))
    Enrolment.objects.filter(pk=case.h3_25.pk).update(target_date=TODAY + _days(10), start_date=TODAY - _days(60))
    Enrolment.objects.filter(pk=case.dave_hsc331.pk).update(target_date=TODAY + _days(300), start_date=TODAY)
    counts = caseload.rag_counts(Enrolment.objects.filter(centre=case.centre), TODAY)
    assert counts == {"overdue": 1, "at-risk": 1, "on-track": 1, "complete": 0}


@pytest.mark.parametrize(
    ("since", "today", "waited"),
    [
        ("2026-03-06", "2026-03-09", 1),  # Friday to Monday
        ("2026-03-07", "2026-03-09", 1),  # Saturday to Monday
        ("2026-03-09", "2026-03-09", 0),  # the same day
        ("2026-03-02", "2026-03-16", 10),  # two weeks, Monday to Monday
        ("2026-02-27", "2026-03-16", 11),  # Friday, two weeks and a day before
    ],
)
def test_working_days_waited(since, today, waited):
    assert working_days_waited(datetime.date.fromisoformat(since), datetime.date.fromisoformat(today)) == waited


@pytest.mark.parametrize("today", ["2026-03-09", "2026-03-11", "2026-03-14", "2026-03-15"])
def test_the_late_cutoff_agrees_with_working_days_waited(today):
    today = datetime.date.fromisoformat(today)
    cutoff = timezone.localtime(caseload.waited_more_than(10, today)).date()
    assert working_days_waited(cutoff, today) == 10
    assert working_days_waited(cutoff - _days(1), today) > 10
    assert all(working_days_waited(cutoff - _days(n), today) > 10 for n in range(1, 9))


def _submitted_on(evidence: Evidence, day: datetime.date) -> None:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    Evidence.objects.filter(pk=evidence.pk).update(submitted_at=moment)


def test_evidence_waiting_is_counted_per_assessor_by_how_long(case):
    """Alice's item mapped to both her units (both Bob's) counts once for Bob; Dave's counts for Erin."""
    both = submitted_evidence(case, title="Both units", references=["HSC331a.1", "H3 25.1"])
    old = submitted_evidence(case, title="Old notes", references=["HSC331a.2"])
    daves = submitted_evidence(case, candidate=case.dave, enrolment=case.dave_hsc331, title="Dave's account")
    _submitted_on(both, datetime.date(2026, 3, 4))  # 5 working days by the 11th
    _submitted_on(old, datetime.date(2026, 2, 24))  # 11 working days
    _submitted_on(daves, datetime.date(2026, 3, 2))  # 7 working days
    found = caseload.waiting_by_assessor(Enrolment.objects.filter(centre=case.centre), TODAY)
    bob, erin = found[case.bob.pk], found[case.erin.pk]
    assert (bob.count, bob.up_to_5, bob.from_6_to_10, bob.over_10) == (2, 1, 0, 1)
    assert bob.longest(TODAY) == 11
    assert (erin.count, erin.up_to_5, erin.from_6_to_10, erin.over_10) == (1, 0, 1, 0)
    assert caseload.late_evidence_count(case.centre.pk, Enrolment.objects.filter(centre=case.centre), TODAY) == 1


def test_overdue_units_are_past_target_and_not_signed_off(case):
    meet(case, case.h3_25, [accepted_evidence(case, enrolment=case.h3_25, title="Front desk")])
    signed_as_the_service_signs(case.h3_25, case.bob).save()
    Enrolment.objects.filter(centre=case.centre).update(start_date=TODAY - _days(90), target_date=TODAY - _days(1))
    Enrolment.objects.filter(pk=case.dave_hsc331.pk).update(target_date=TODAY)
    assert list(caseload.overdue(Enrolment.objects.filter(centre=case.centre), TODAY)) == [case.hsc331]

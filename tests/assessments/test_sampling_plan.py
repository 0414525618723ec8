"""Issue 15 item 4: an IQA's sampling plan, and what has been done against it (assessments/sampling_plan.py).

Carol is the IQA; Bob assesses five candidates' HSC331 at Riverside (Alice's and four more), Erin
assesses Dave's. Each risk rating sets the share of an assessor's units to sample, rounded up, at
the stages the plan names; done is the units Carol reviewed at each stage in the plan's period."""

import datetime

import pytest
from django.utils import timezone

from assessments import sampling_plan
from assessments.models import QualityReview
from assessments.sampling_plan_models import (
    DEFAULT_SHARES,
    AssessorRating,
    RiskRating,
    SampleStages,
    SamplingPlan,
)
from assessments.services.sampling_plan import sampling_plan_save, twelve_months_from
from portfolio.errors import PortfolioError
from portfolio.models import AssessmentMethod, Role
from tests.assessments.quality_records import accepted_evidence, decide, sign_off
from tests.factories import enrol, member

pytestmark = pytest.mark.django_db

Outcome = QualityReview.Outcome
Stage = QualityReview.Stage


@pytest.fixture
def bobs_units(centre, hsc331, bob, carol):
    """Alice's HSC331 and four more candidates' (five units of Bob's, sampled by Carol)."""
    others = [
        enrol(member(centre, Role.CANDIDATE, email=f"candidate{n}@example.org"), "HSC331", assessor=bob, iqa=carol, centre=centre)
        for n in range(4)
    ]
    return [hsc331, *others]


def plan_for(carol, centre) -> SamplingPlan:
    """Carol's plan from today, with nobody rated yet."""
    return SamplingPlan.objects.create(
        iqa=carol, centre=centre, period_start=timezone.localdate(), period_end=twelve_months_from(timezone.localdate())
    )


def review(enrolment, carol, stage, outcome=Outcome.COUNTERSIGNED, sign_off_row=None, when=None):
    when = when or timezone.now()
    return QualityReview.objects.create(
        enrolment=enrolment, iqa=carol, stage=stage, outcome=outcome, sampled_at=when, reviewed_at=when,
        sign_off=sign_off_row, actions="Do more" if outcome == Outcome.REFERRED else "",
    )


def bobs_row(plan, bob):
    return next(row for row in sampling_plan.compliance(plan).assessors if row.assessor == bob)


# The share each rating sets, rounded up.


@pytest.mark.parametrize(("share", "units", "planned"), [
    (100, 5, 5), (50, 5, 3), (20, 5, 1), (20, 6, 2), (20, 1, 1), (0, 5, 0), (20, 0, 0), (50, 4, 2),
])
def test_the_planned_count_is_the_share_rounded_up(share, units, planned):
    assert sampling_plan.planned_count(share, units) == planned


@pytest.mark.parametrize(("rating", "planned"), [
    (RiskRating.NEW, 5),  # all
    (RiskRating.UNDER_SUPPORT, 5),  # all
    (RiskRating.IN_DEVELOPMENT, 3),  # 50% of 5, rounded up
    (RiskRating.EXPERIENCED, 1),  # 20% of 5
])
def test_each_risk_rating_plans_its_share_at_both_stages(bobs_units, carol, bob, centre, rating, planned):
    row = bobs_row(_rated(carol, centre, bob, rating), bob)
    assert (row.units, row.share) == (5, DEFAULT_SHARES[rating])
    assert (row.interim.words, row.summative.words) == (f"0 of {planned} planned", f"0 of {planned} planned")


def _rated(carol, centre, bob, rating, stages=SampleStages.BOTH, share=None):
    plan = plan_for(carol, centre)
    AssessorRating.objects.create(plan=plan, assessor=bob, rating=rating, stages=stages, rated_on=timezone.localdate(),
                                  reason="Rated", share=share)
    return plan


def test_an_assessor_not_rated_yet_is_planned_as_new(bobs_units, carol, bob, centre):
    row = bobs_row(plan_for(carol, centre), bob)
    assert row.rating is None and row.rating_words == "Not rated yet (sampled as new)"
    assert row.summative.words == "0 of 5 planned"


def test_the_plans_share_for_a_rating_and_the_assessors_own_share_override_the_default(bobs_units, carol, bob, centre):
    plan = _rated(carol, centre, bob, RiskRating.EXPERIENCED)
    plan.share_experienced = 40
    plan.save()
    assert bobs_row(plan, bob).summative.planned == 2
    AssessorRating.objects.filter(plan=plan).update(share=60)
    assert bobs_row(plan, bob).summative.planned == 3


def test_summative_only_plans_nothing_interim_and_interim_only_nothing_summative(bobs_units, carol, bob, centre):
    plan = _rated(carol, centre, bob, RiskRating.NEW, stages=SampleStages.SUMMATIVE)
    row = bobs_row(plan, bob)
    assert (row.interim.planned, row.summative.planned) == (0, 5)
    assert row.interim.status_words == "None planned" and row.interim.met
    AssessorRating.objects.filter(plan=plan).update(stages=SampleStages.INTERIM)
    row = bobs_row(plan, bob)
    assert (row.interim.planned, row.summative.planned) == (5, 0)


def test_reviews_count_at_their_stage_and_a_new_assessor_is_met_only_when_every_unit_is_sampled(bobs_units, carol, bob, centre):
    plan = _rated(carol, centre, bob, RiskRating.NEW)
    first, second = bobs_units[:2]
    decide(first, accepted_evidence(first))
    review(first, carol, Stage.INTERIM)
    signed = sign_off(second)
    review(second, carol, Stage.FINAL, sign_off_row=signed)
    review(bobs_units[2], carol, Stage.INTERIM, outcome=Outcome.SAMPLED)  # waiting: not done yet
    row = bobs_row(plan, bob)
    assert (row.interim.words, row.interim.status, row.interim.status_words) == ("1 of 5 planned", "behind", "Behind plan")
    assert (row.summative.words, row.summative.status) == ("1 of 5 planned", "behind")
    assert not row.met


def test_an_experienced_assessor_is_met_with_one_unit_of_five_sampled_at_each_stage(bobs_units, carol, bob, centre):
    plan = _rated(carol, centre, bob, RiskRating.EXPERIENCED)
    row = bobs_row(plan, bob)
    assert (row.summative.status, row.summative.status_words) == ("not-started", "Not started")
    review(bobs_units[0], carol, Stage.INTERIM, outcome=Outcome.REFERRED)  # referred back counts as sampled
    review(bobs_units[1], carol, Stage.FINAL, sign_off_row=sign_off(bobs_units[1]))
    row = bobs_row(plan, bob)
    assert (row.interim.status, row.summative.status, row.met) == ("met", "met", True)
    assert row.summative.status_words == "Met"


def test_a_review_before_the_plans_period_does_not_count(bobs_units, carol, bob, centre):
    plan = _rated(carol, centre, bob, RiskRating.EXPERIENCED)
    review(bobs_units[0], carol, Stage.INTERIM, when=timezone.now() - datetime.timedelta(days=3))
    assert bobs_row(plan, bob).interim.done == 0


def test_each_assessor_is_planned_apart_and_the_iqas_own_units_are_left_out(bobs_units, carol, bob, erin, centre, daves_unit):
    enrol(member(centre, Role.CANDIDATE, email="pat@example.org"), "H3 25", assessor=carol, iqa=carol, centre=centre)
    plan = _rated(carol, centre, bob, RiskRating.EXPERIENCED)
    rows = {row.assessor: row for row in sampling_plan.compliance(plan).assessors}
    assert set(rows) == {bob, erin}
    assert (rows[erin].units, rows[erin].summative.words) == (1, "0 of 1 planned")


def test_methods_and_locations_are_covered_by_the_evidence_of_sampled_units(hsc331, daves_unit, carol, centre):
    plan = plan_for(carol, centre)
    plan.methods = [AssessmentMethod.DIRECT_OBSERVATION, AssessmentMethod.WITNESS_TESTIMONY]
    plan.locations = "Day centre\nClient's home"
    plan.save()
    observed = accepted_evidence(hsc331, AssessmentMethod.DIRECT_OBSERVATION, location="Riverside Day Centre")
    decide(hsc331, observed)
    decide(daves_unit, accepted_evidence(daves_unit, AssessmentMethod.WITNESS_TESTIMONY, location="Client's home"))
    found = sampling_plan.compliance(plan)
    assert [(m.name, m.covered) for m in found.methods] == [("Direct observation", False), ("Witness testimony", False)]
    review(hsc331, carol, Stage.INTERIM)
    found = sampling_plan.compliance(plan)
    assert [(m.name, m.covered) for m in found.methods] == [("Direct observation", True), ("Witness testimony", False)]
    assert [(loc.name, loc.covered) for loc in found.locations] == [("Day centre", True), ("Client's home", False)]
    assert (found.candidates, found.candidates_sampled) == (2, 1)
    assert [(u.code, u.units, u.sampled) for u in found.units] == [("HSC331", 2, 1)]


# Held before claim.


def test_a_unit_marked_is_held_until_the_iqa_countersigns_its_record(hsc331, h3_25, bob, carol, centre):
    plan = plan_for(carol, centre)
    plan.must_sample.set([hsc331])
    assert sampling_plan.held_before_claim([hsc331, h3_25]) == {hsc331.pk}
    signed = sign_off(hsc331)
    review(hsc331, carol, Stage.INTERIM)  # an interim review is not the summative sample
    assert sampling_plan.held_before_claim([hsc331]) == {hsc331.pk}
    review(hsc331, carol, Stage.FINAL, sign_off_row=signed)
    assert sampling_plan.held_before_claim([hsc331]) == set()


def test_every_unit_of_an_assessor_marked_is_held(hsc331, h3_25, daves_unit, bob, carol, centre):
    _rated(carol, centre, bob, RiskRating.NEW)
    AssessorRating.objects.update(sample_before_claim=True)
    assert sampling_plan.held_before_claim([hsc331, h3_25, daves_unit]) == {hsc331.pk, h3_25.pk}


def test_a_plan_whose_period_is_over_holds_nothing(hsc331, carol, centre):
    plan = plan_for(carol, centre)
    plan.must_sample.set([hsc331])
    SamplingPlan.objects.filter(pk=plan.pk).update(
        period_start=timezone.localdate() - datetime.timedelta(days=400),
        period_end=timezone.localdate() - datetime.timedelta(days=36),
    )
    assert sampling_plan.held_before_claim([hsc331]) == set()


# Saving a plan.


def _save(carol, centre, **changes):
    fields = {
        "iqa": carol, "centre": centre, "plan": None, "period_start": datetime.date(2026, 2, 1),
        "shares": {r: 100 for r in RiskRating}, "ratings": [], "methods": [], "locations": "", "must_sample": [],
        **changes,
    }
    return sampling_plan_save(**fields)


def test_a_plan_runs_twelve_months(hsc331, carol, centre):
    plan = _save(carol, centre)
    assert (plan.period_start, plan.period_end) == (datetime.date(2026, 2, 1), datetime.date(2027, 1, 31))
    assert twelve_months_from(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 27)


def test_two_plans_of_one_iqa_at_a_centre_may_not_overlap(hsc331, carol, centre):
    _save(carol, centre)
    with pytest.raises(PortfolioError, match="overlap"):
        _save(carol, centre, period_start=datetime.date(2026, 8, 1))
    assert _save(carol, centre, period_start=datetime.date(2027, 2, 1)).period_end == datetime.date(2028, 1, 31)


def test_only_the_iqas_own_assessors_and_units_go_in_the_plan(hsc331, carol, ivan, erin, bob, centre):
    dave = member(centre, Role.CANDIDATE, email="dave2@example.org")
    ivans = enrol(dave, "HSC331", assessor=erin, iqa=ivan, centre=centre)
    row = {"assessor": erin, "rating": RiskRating.NEW, "rated_on": datetime.date(2026, 2, 1), "reason": "New",
           "share": None, "stages": SampleStages.BOTH, "sample_before_claim": False}
    with pytest.raises(PortfolioError, match="assessors whose units you quality-assure"):
        _save(carol, centre, ratings=[row])
    with pytest.raises(PortfolioError, match="your own units"):
        _save(carol, centre, must_sample=[ivans])
    with pytest.raises(PortfolioError, match="internal quality assurer"):
        _save(bob, centre)
    assert not SamplingPlan.objects.exists()

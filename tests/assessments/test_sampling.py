"""The suggested IQA sample: a greedy cover of every assessor, method and unit.

Carol is the IQA of every enrolment here. Her three assessors are Bob Baker, Erin Price and Hugh
Hall; their candidates' evidence uses four methods (reflective account, direct observation,
witness testimony, professional discussion) across two units, HSC331 and H3 25.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import sampling
from assessments.models import QualityReview
from assessments.services import iqa as iqa_services
from portfolio.models import AssessmentMethod, Enrolment, Role
from standards.models import Criterion
from tests.assessments.test_iqa import accepted_evidence, decide, sign_off
from tests.factories import CentreFactory, PersonFactory, enrol, load_standards, member

pytestmark = pytest.mark.django_db

M = AssessmentMethod


@pytest.fixture
def centre(db):
    load_standards()
    return CentreFactory(name="Riverside Training")


@pytest.fixture
def carol(centre):
    return member(centre, Role.IQA, email="carol@example.org", first_name="Carol", last_name="Clark")


@pytest.fixture
def assessors(centre):
    return {
        name: member(centre, Role.ASSESSOR, email=f"{name}@example.org", first_name=name.title(), last_name=last)
        for name, last in (("bob", "Baker"), ("erin", "Price"), ("hugh", "Hall"))
    }


def unit_of(centre, carol, assessor, unit_code: str, methods=(), *, signed=False, first_name="Cand") -> Enrolment:
    """A new candidate on the unit, with one decision citing accepted evidence of each method."""
    candidate = PersonFactory(first_name=first_name)
    enrolment = enrol(candidate, unit_code, assessor=assessor, iqa=carol, centre=centre)
    for method in methods:
        decide(enrolment, accepted_evidence(enrolment, method))
    if signed:
        sign_off(enrolment)
    return enrolment


@pytest.fixture
def three_assessors(centre, carol, assessors):
    """Six units: each assessor has one on each unit; five have decisions, two are signed off."""
    a = assessors
    return {
        "bob_hsc": unit_of(centre, carol, a["bob"], "HSC331", [M.REFLECTIVE_ACCOUNT]),
        "bob_h325": unit_of(centre, carol, a["bob"], "H3 25", [M.DIRECT_OBSERVATION], signed=True),
        "erin_hsc": unit_of(centre, carol, a["erin"], "HSC331", [M.WITNESS_TESTIMONY]),
        "erin_h325": unit_of(
            centre, carol, a["erin"], "H3 25", [M.PROFESSIONAL_DISCUSSION, M.REFLECTIVE_ACCOUNT], signed=True
        ),
        "hugh_hsc": unit_of(centre, carol, a["hugh"], "HSC331", [M.DIRECT_OBSERVATION]),
        "hugh_h325": unit_of(centre, carol, a["hugh"], "H3 25", []),
    }


def covered_by(suggestions) -> set:
    return set().union(*(s.row.features for s in suggestions))


def test_the_suggestion_covers_every_assessor_method_and_unit(carol, assessors, three_assessors):
    suggestions = sampling.suggest(carol)
    covered = covered_by(suggestions)
    assert {("assessor", a.pk) for a in assessors.values()} <= covered
    assert {("method", m) for m in (M.REFLECTIVE_ACCOUNT, M.DIRECT_OBSERVATION, M.WITNESS_TESTIMONY,
                                    M.PROFESSIONAL_DISCUSSION)} <= covered
    assert {("unit", e.unit_id) for e in three_assessors.values()} <= covered
    # A greedy cover, not everything: four of the five units with decisions.
    assert len(suggestions) == 4


def test_the_suggestion_is_the_same_every_time(carol, three_assessors):
    first = [(s.enrolment.pk, s.reason) for s in sampling.suggest(carol)]
    assert first == [(s.enrolment.pk, s.reason) for s in sampling.suggest(carol)]
    assert first[0] == (
        three_assessors["erin_h325"].pk,
        "covers assessor Erin Price; methods: professional discussion, reflective account; unit H3 25",
    )


def test_each_pick_says_what_it_adds(carol, three_assessors):
    reasons = [s.reason for s in sampling.suggest(carol)]
    assert reasons == [
        "covers assessor Erin Price; methods: professional discussion, reflective account; unit H3 25",
        "covers assessor Hugh Hall; method: direct observation; unit HSC331",
        "covers assessor Bob Baker",
        "covers method: witness testimony",
    ]
    # Bob's signed-off unit, not his unit with decisions only, though either covers him.
    assert sampling.suggest(carol)[2].enrolment == three_assessors["bob_h325"]


def test_the_suggestion_prefers_a_signed_off_unit(centre, carol, assessors):
    with_decisions = unit_of(centre, carol, assessors["bob"], "HSC331", [M.REFLECTIVE_ACCOUNT])
    signed_off = unit_of(centre, carol, assessors["bob"], "HSC331", [M.REFLECTIVE_ACCOUNT], signed=True)
    assert with_decisions.pk < signed_off.pk, "the id alone would have chosen the other one"
    [suggestion] = sampling.suggest(carol)
    assert suggestion.enrolment == signed_off
    assert suggestion.row.stage == QualityReview.Stage.FINAL


def test_the_suggestion_prefers_a_unit_with_decisions_to_one_without(centre, carol, assessors):
    unit_of(centre, carol, assessors["bob"], "HSC331", [])
    with_decisions = unit_of(centre, carol, assessors["bob"], "HSC331", [M.REFLECTIVE_ACCOUNT])
    assert [s.enrolment for s in sampling.suggest(carol)] == [with_decisions]


def test_the_suggestion_skips_units_already_in_the_sample(carol, three_assessors):
    iqa_services.sample_add(iqa=carol, enrolments=[three_assessors["erin_h325"]])
    suggestions = sampling.suggest(carol)
    assert three_assessors["erin_h325"] not in [s.enrolment for s in suggestions]
    # What the sample already covers is not asked for again.
    assert all(("method", M.PROFESSIONAL_DISCUSSION) not in s.covers for s in suggestions)
    assert all(("assessor", three_assessors["erin_h325"].assessor_id) not in s.covers for s in suggestions)


def test_the_suggestion_skips_units_already_reviewed_at_their_stage(carol, three_assessors):
    iqa_services.review_record(
        review_or_enrolment=three_assessors["erin_hsc"], iqa=carol, outcome=QualityReview.Outcome.COUNTERSIGNED
    )
    assert three_assessors["erin_hsc"] not in [s.enrolment for s in sampling.suggest(carol)]


def test_a_unit_reviewed_before_sign_off_is_suggested_again_once_signed_off(centre, carol, assessors):
    enrolment = unit_of(centre, carol, assessors["bob"], "HSC331", [M.REFLECTIVE_ACCOUNT])
    iqa_services.review_record(review_or_enrolment=enrolment, iqa=carol, outcome=QualityReview.Outcome.COUNTERSIGNED)
    assert sampling.suggest(carol) == []
    sign_off(enrolment)
    [suggestion] = sampling.suggest(carol)
    assert (suggestion.enrolment, suggestion.row.stage) == (enrolment, QualityReview.Stage.FINAL)


def test_nothing_is_suggested_once_the_sample_covers_everything(carol, three_assessors):
    iqa_services.sample_add(iqa=carol, enrolments=[s.enrolment for s in sampling.suggest(carol)])
    assert sampling.suggest(carol) == []
    coverage = sampling.coverage(sampling.sample_rows(carol), [])
    assert coverage.missing_count == 0


def test_coverage_names_what_the_sample_covers_and_misses(carol, three_assessors):
    iqa_services.sample_add(iqa=carol, enrolments=[three_assessors["bob_hsc"]])
    rows = sampling.sample_rows(carol)
    coverage = sampling.coverage(rows, sampling.suggest(carol, rows))
    assert [(i.name, i.covered) for i in coverage.assessors] == [
        ("Bob Baker", True), ("Hugh Hall", False), ("Erin Price", False)
    ]
    assert [(i.name, i.covered) for i in coverage.methods] == [
        ("Direct observation", False), ("Witness testimony", False),
        ("Professional discussion", False), ("Reflective account", True),
    ]
    assert [(i.name, i.covered) for i in coverage.units] == [("H3 25", False), ("HSC331", True)]
    assert all(i.by_suggestion for _, items in coverage.groups for i in items if not i.covered)


def test_units_without_decisions_and_units_the_iqa_assesses_are_never_suggested(centre, carol, assessors):
    unit_of(centre, carol, assessors["bob"], "HSC331", [])
    own = unit_of(centre, carol, carol, "H3 25", [M.REFLECTIVE_ACCOUNT])
    assert sampling.suggest(carol) == []
    [row] = [r for r in sampling.sample_rows(carol) if r.enrolment == own]
    assert row.iqa_is_assessor


def test_the_methods_include_accepted_evidence_mapped_to_the_unit(centre, carol, assessors):
    enrolment = unit_of(centre, carol, assessors["bob"], "HSC331", [M.REFLECTIVE_ACCOUNT])
    mapped = accepted_evidence(enrolment, M.PRODUCT)
    mapped.criteria.add(Criterion.objects.filter(unit=enrolment.unit).last())
    [row] = sampling.sample_rows(carol)
    assert row.methods == [M.REFLECTIVE_ACCOUNT, M.PRODUCT]
    assert row.method_labels == ["Reflective account", "Product (work product) evidence"]


def test_the_states_an_iqa_sees(centre, carol, assessors):
    bob = assessors["bob"]
    in_progress = unit_of(centre, carol, bob, "HSC331", [M.REFLECTIVE_ACCOUNT])
    awaiting = unit_of(centre, carol, bob, "HSC331", [M.REFLECTIVE_ACCOUNT])
    sign_off(awaiting, countersigned=False)
    signed = unit_of(centre, carol, bob, "HSC331", [M.REFLECTIVE_ACCOUNT], signed=True)
    countersigned = unit_of(centre, carol, bob, "HSC331", [M.REFLECTIVE_ACCOUNT], signed=True)
    iqa_services.review_record(review_or_enrolment=countersigned, iqa=carol, outcome=QualityReview.Outcome.COUNTERSIGNED)
    referred = unit_of(centre, carol, bob, "HSC331", [M.REFLECTIVE_ACCOUNT], signed=True)
    iqa_services.review_record(
        review_or_enrolment=referred, iqa=carol, outcome=QualityReview.Outcome.REFERRED, actions="Fix it."
    )
    states = {row.enrolment.pk: row.state[0] for row in sampling.sample_rows(carol)}
    assert states == {
        in_progress.pk: "in-progress", awaiting.pk: "awaiting", signed.pk: "signed-off",
        countersigned.pk: "countersigned", referred.pk: "referred",
    }


def _page_queries(client, carol) -> int:
    client.force_login(carol)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/portfolio/quality/")
    assert response.status_code == 200
    return len(queries)


def test_the_sample_page_reads_a_fixed_number_of_queries(client, centre, carol, assessors):
    methods = [M.REFLECTIVE_ACCOUNT, M.WITNESS_TESTIMONY]
    unit_of(centre, carol, assessors["bob"], "HSC331", methods, signed=True)
    unit_of(centre, carol, assessors["erin"], "H3 25", methods)
    few = _page_queries(client, carol)
    for n, assessor in enumerate(list(assessors.values()) * 3):
        unit_of(centre, carol, assessor, ("HSC331", "H3 25")[n % 2], [*methods, M.PRODUCT], signed=n % 3 == 0)
    iqa_services.sample_add(iqa=carol, enrolments=list(Enrolment.objects.filter(iqa=carol))[:4])
    many = _page_queries(client, carol)
    assert Enrolment.objects.filter(iqa=carol).count() == 11
    assert many == few

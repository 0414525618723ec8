"""The suggested IQA sample: a greedy cover of every assessor, method and unit.

Carol is the IQA of every enrolment here. Her three assessors are Bob Baker, Erin Price and Hugh
Hall; their candidates' evidence uses four methods (reflective account, direct observation,
witness testimony, professional discussion) across two units, HSC331 and H3 25.
"""

import dataclasses
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import sampling
from assessments.models import QualityReview
from assessments.services import iqa as iqa_services
from assessments.unit_state import UnitState
from assessments.views import iqa as iqa_views
from portfolio.models import AssessmentMethod, Enrolment, Role
from standards.models import Criterion, KnowledgeItem
from tests.assessments.quality_records import accepted_evidence, decide, sign_off
from tests.factories import PersonFactory, enrol, member

pytestmark = pytest.mark.django_db

M = AssessmentMethod


@pytest.fixture
def assessors(centre):
    return {
        name: member(
            centre, Role.ASSESSOR, email=f"{name}@example.org", first_name=name.title(), last_name=last
        )
        for name, last in (("bob", "Baker"), ("erin", "Price"), ("hugh", "Hall"))
    }


def unit_of(
    centre, carol, assessor, unit_code: str, methods=(), *, signed=False, first_name="Cand", last_name="Smith"
) -> Enrolment:
    """A new candidate on the unit, with one decision citing accepted evidence of each method. The
    surname is fixed, not random, so a name search finds only whom a test expects."""
    candidate = PersonFactory(first_name=first_name, last_name=last_name)
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
    assert {
        ("method", m)
        for m in (M.REFLECTIVE_ACCOUNT, M.DIRECT_OBSERVATION, M.WITNESS_TESTIMONY, M.PROFESSIONAL_DISCUSSION)
    } <= covered
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
        review_or_enrolment=three_assessors["erin_hsc"],
        iqa=carol,
        outcome=QualityReview.Outcome.COUNTERSIGNED,
    )
    assert three_assessors["erin_hsc"] not in [s.enrolment for s in sampling.suggest(carol)]


def test_a_unit_reviewed_before_sign_off_is_suggested_again_once_signed_off(centre, carol, assessors):
    enrolment = unit_of(centre, carol, assessors["bob"], "HSC331", [M.REFLECTIVE_ACCOUNT])
    iqa_services.review_record(
        review_or_enrolment=enrolment, iqa=carol, outcome=QualityReview.Outcome.COUNTERSIGNED
    )
    assert sampling.suggest(carol) == []
    sign_off(enrolment)
    [suggestion] = sampling.suggest(carol)
    assert (suggestion.enrolment, suggestion.row.stage) == (enrolment, QualityReview.Stage.FINAL)


def test_nothing_is_suggested_once_the_sample_covers_everything(carol, three_assessors):
    iqa_services.sample_add(iqa=carol, enrolments=[s.enrolment for s in sampling.suggest(carol)])
    assert sampling.suggest(carol) == []
    coverage = sampling.coverage(sampling.register(carol), [])
    assert coverage.missing_count == 0


def test_coverage_names_what_the_sample_covers_and_misses(carol, three_assessors):
    iqa_services.sample_add(iqa=carol, enrolments=[three_assessors["bob_hsc"]])
    names = sampling.register(carol)
    coverage = sampling.coverage(names, sampling.suggest(carol, names))
    assert [(i.name, i.covered) for i in coverage.assessors] == [
        ("Bob Baker", True),
        ("Hugh Hall", False),
        ("Erin Price", False),
    ]
    assert [(i.name, i.covered) for i in coverage.methods] == [
        ("Direct observation", False),
        ("Witness testimony", False),
        ("Professional discussion", False),
        ("Reflective account", True),
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


def test_the_states_an_iqa_sees(client, centre, carol, assessors):
    bob = assessors["bob"]
    in_progress = unit_of(centre, carol, bob, "HSC331", [M.REFLECTIVE_ACCOUNT], first_name="Ida")
    awaiting = unit_of(centre, carol, bob, "HSC331", [M.REFLECTIVE_ACCOUNT], first_name="Abe")
    sign_off(awaiting, countersigned=False)
    signed = unit_of(centre, carol, bob, "HSC331", [M.REFLECTIVE_ACCOUNT], signed=True, first_name="Sue")
    countersigned = unit_of(centre, carol, bob, "HSC331", [M.REFLECTIVE_ACCOUNT], signed=True, first_name="Cy")
    iqa_services.review_record(
        review_or_enrolment=countersigned, iqa=carol, outcome=QualityReview.Outcome.COUNTERSIGNED
    )
    referred = unit_of(centre, carol, bob, "HSC331", [M.REFLECTIVE_ACCOUNT], signed=True, first_name="Rex")
    iqa_services.review_record(
        review_or_enrolment=referred, iqa=carol, outcome=QualityReview.Outcome.REFERRED, actions="Fix it."
    )
    states = {row.enrolment.pk: row.state[0] for row in sampling.sample_rows(carol)}
    assert states == {
        in_progress.pk: "in-progress",
        awaiting.pk: "awaiting",
        signed.pk: "signed-off",
        countersigned.pk: "countersigned",
        referred.pk: "referred",
    }
    assert set(states.values()) == set(UnitState), "every state is checked"
    # The list filters on the same states worked out in SQL.
    in_sql = dict(sampling.with_state(Enrolment.objects.filter(iqa=carol)).values_list("pk", "state"))
    assert in_sql == states
    # Filtered by each state, the page lists that unit alone and says so in the state's words.
    names = {in_progress.pk: "Ida", awaiting.pk: "Abe", signed.pk: "Sue", countersigned.pk: "Cy", referred.pk: "Rex"}
    for pk, state in states.items():
        page = _page(client, carol, f"?state={state.value}")
        assert [name.split()[0] for name in _listed(page)] == [names[pk]]
        units = page[page.index('id="units-heading"') :]
        assert f'<span class="small">{html.escape(state.label)}</span>' in units


def test_the_register_holds_what_the_full_rows_hold(centre, carol, assessors, three_assessors):
    """The suggestion works from compact values; they must say what the rows the page shows say,
    wherever the suggestion or the coverage looks."""
    bob = assessors["bob"]

    def mapped_only(method):
        """A unit with no decisions, whose candidate has accepted evidence mapped to it."""
        enrolment = unit_of(centre, carol, bob, "HSC331", [])
        accepted_evidence(enrolment, method).knowledge_items.add(
            KnowledgeItem.objects.filter(unit=enrolment.unit).first()
        )
        return enrolment

    unsampled, sampled = mapped_only(M.PRODUCT), mapped_only(M.PRIOR_LEARNING)
    iqa_services.sample_add(iqa=carol, enrolments=[sampled, three_assessors["bob_hsc"]])
    sign_off(unit_of(centre, carol, bob, "H3 25", [M.QUESTIONING]), countersigned=False)
    unit_of(centre, carol, carol, "HSC331", [M.SIMULATION])
    iqa_services.review_record(
        review_or_enrolment=three_assessors["erin_hsc"],
        iqa=carol,
        outcome=QualityReview.Outcome.COUNTERSIGNED,
    )
    names = sampling.register(carol)
    compact = {
        s.pk: (s.signed_off, s.reviewable, s.in_sample, s.waiting, s.iqa_is_assessor, list(s.methods))
        for s in names.summaries
    }
    rows = sampling.sample_rows(carol)
    full = {
        r.enrolment.pk: (
            r.sign_off is not None,
            r.reviewable,
            r.in_sample,
            r.open_review is not None,
            r.iqa_is_assessor,
            r.methods,
        )
        for r in rows
    }
    # A unit with no decision, sign-off or review is neither suggested nor counted as covered, so
    # the register leaves its methods out; the page's row still shows them.
    assert full[unsampled.pk][-1] == [M.PRODUCT], "accepted evidence mapped to a knowledge item counts"
    assert compact.pop(unsampled.pk)[-1] == []
    full.pop(unsampled.pk)
    # The units in the sample hold all their methods; the others only those the sample misses, and
    # nothing where the suggestion never looks (the IQA's own units).
    covered = {m for s in names.summaries if s.in_sample for m in s.methods}
    in_sample = {s.pk for s in names.summaries if s.in_sample}
    own = {s.pk for s in names.summaries if s.iqa_is_assessor}
    expected = {
        pk: (*values[:-1], values[-1] if pk in in_sample else [] if pk in own else [m for m in values[-1] if m not in covered])
        for pk, values in full.items()
    }
    assert compact == expected
    assert compact[sampled.pk][-1] == [M.PRIOR_LEARNING]
    assert any(values[-1] for pk, values in compact.items() if pk not in in_sample), "a missing method was found"
    # And so the suggestion and the coverage are what every unit's every method would give.
    rows_by_pk = {r.enrolment.pk: r for r in rows}
    whole = dataclasses.replace(names, summaries=[
        dataclasses.replace(
            s, methods=tuple(rows_by_pk[s.pk].methods),
            features=frozenset(f for f in s.features if f[0] != "method") | {("method", m) for m in rows_by_pk[s.pk].methods},
        ) if s.reviewable or s.in_sample else s
        for s in names.summaries
    ])
    picked = sampling.suggest(carol, names, read=False)
    picked_whole = sampling.suggest(carol, whole, read=False)
    assert picked and [(p.row.pk, p.covers) for p in picked] == [(p.row.pk, p.covers) for p in picked_whole]
    assert sampling.coverage(names, picked) == sampling.coverage(whole, picked_whole)
    assert ("method", M.PRIOR_LEARNING) in {f for s in names.summaries if s.in_sample for f in s.features}
    assert list(names.assessors.values()) == ["Bob Baker", "Carol Clark", "Hugh Hall", "Erin Price"]
    assert list(names.units.values()) == ["H3 25", "HSC331"]


# The sample page: the suggestion, the units waiting, and the list of every unit, a page at a time.


def _page(client, carol, query: str = "") -> str:
    client.force_login(carol)
    response = client.get(f"/assessments/quality/{query}")
    assert response.status_code == 200
    return response.content.decode()


def _listed(page: str) -> list[str]:
    """The candidates the list of units shows, in order (the list is the page's last section)."""
    units = page[page.index('id="units-heading"') :]
    return re.findall(r'<th scope="row" class="fw-normal text-nowrap"><a href="[^"]+">([^<]+)</a>', units)


@pytest.fixture
def named_units(centre, carol, assessors):
    """Five units: Ann, Ben and Cat with Bob; Dan and Eve with Erin. Surnames fixed, so a name
    search finds only whom it should (a random "Stevens" would match "ev")."""
    bob, erin = assessors["bob"], assessors["erin"]
    return {
        "ann": unit_of(centre, carol, bob, "HSC331", [M.REFLECTIVE_ACCOUNT], signed=True, first_name="Ann", last_name="Ash"),
        "ben": unit_of(centre, carol, bob, "H3 25", [M.WITNESS_TESTIMONY], first_name="Ben", last_name="Bond"),
        "cat": unit_of(centre, carol, bob, "HSC331", [], first_name="Cat", last_name="Cole"),
        "dan": unit_of(centre, carol, erin, "H3 25", [M.REFLECTIVE_ACCOUNT], first_name="Dan", last_name="Dunn"),
        "eve": unit_of(centre, carol, erin, "HSC331", [M.PRODUCT], signed=True, first_name="Eve", last_name="Eden"),
    }


def test_the_list_shows_a_page_at_a_time_with_a_count(client, carol, named_units, monkeypatch):
    monkeypatch.setattr(iqa_views, "LIST_PAGE_SIZE", 2)
    first = _page(client, carol)
    assert "Showing 1–2 of 5 units." in first
    assert len(_listed(first)) == 2
    assert '<nav aria-label="Pages of your units">' in first
    assert "Page 1 of 3" in first
    assert 'href="?page=2#units-heading">Next' in first
    assert "Previous" not in first
    last = _page(client, carol, "?page=3")
    assert "Showing 5–5 of 5 units." in last
    assert 'href="?page=2#units-heading">Previous' in last
    assert "Next<" not in last
    everyone = set(_listed(first)) | set(_listed(_page(client, carol, "?page=2"))) | set(_listed(last))
    assert len(everyone) == 5
    assert "Showing 5–5 of 5 units." in _page(client, carol, "?page=99"), "past the end, the last page"


def test_the_suggestion_is_whole_whatever_page_of_the_list_is_shown(client, carol, named_units, monkeypatch):
    monkeypatch.setattr(iqa_views, "LIST_PAGE_SIZE", 1)
    page = _page(client, carol, "?page=4")
    suggestion = page[page.index('id="suggestion-heading"') : page.index('id="waiting-heading"')]
    ticked = re.findall(r'name="enrolments" value="(\d+)" id="sample-\d+" checked', suggestion)
    assert {int(pk) for pk in ticked} == {s.row.pk for s in sampling.suggest(carol)}
    assert len(ticked) >= 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?assessor={bob}", {"ann", "ben", "cat"}),
        ("?unit={h325}", {"ben", "dan"}),
        ("?state=signed-off", {"ann", "eve"}),
        ("?state=in-progress&assessor={erin}", {"dan"}),
        ("?q=ev", {"eve"}),
        ("?q=BEN", {"ben"}),
        ("?sample=waiting", {"ben"}),
        ("?sample=not-sampled&unit={hsc}", {"ann", "cat", "eve"}),
        ("?assessor=nobody&state=lost", {"ann", "ben", "cat", "dan", "eve"}),
    ],
)
def test_the_list_filters_by_assessor_unit_state_name_and_sample(
    client, carol, assessors, named_units, query, expected
):
    iqa_services.sample_add(iqa=carol, enrolments=[named_units["ben"]])
    units = {e.unit.code: e.unit_id for e in named_units.values()}
    query = query.format(
        bob=assessors["bob"].pk, erin=assessors["erin"].pk, h325=units["H3 25"], hsc=units["HSC331"]
    )
    page = _page(client, carol, query)
    names = {name.split()[0].lower() for name in _listed(page)}
    assert names == expected
    assert f"of {len(expected)} unit{'s' if len(expected) != 1 else ''}" in page


def test_a_filter_that_matches_nothing_says_so(client, carol, named_units):
    page = _page(client, carol, "?q=nobody-of-that-name")
    assert "No unit matches the filters." in page
    assert _listed(page) == []
    assert "Clear the filters" in page


def test_the_filters_stay_on_the_other_pages_and_after_adding(
    client, carol, assessors, named_units, monkeypatch
):
    monkeypatch.setattr(iqa_views, "LIST_PAGE_SIZE", 1)
    query = f"?assessor={assessors['bob'].pk}"
    page = _page(client, carol, query)
    assert f'href="?assessor={assessors["bob"].pk}&amp;page=2#units-heading">Next' in page
    assert f'action="/assessments/quality/?assessor={assessors["bob"].pk}"' in page
    response = client.post(f"/assessments/quality/{query}&page=2", {"enrolments": [named_units["cat"].pk]})
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/quality/{query}&page=2"


def test_the_list_ticks_go_in_the_list_form_not_the_suggestions(client, carol, named_units):
    """Each Add button sends its own part's ticks (test_iqa_sample_two_buttons.py posts them)."""
    page = _page(client, carol)
    cat = named_units["cat"].pk
    assert f'name="enrolments" value="{cat}" id="sample-{cat}" form="list-form">' in page
    assert 'id="suggestion-form"' in page
    assert '<form id="list-form"' in page
    client.post("/assessments/quality/", {"enrolments": [cat], "part": "list"})
    sampled = QualityReview.objects.filter(outcome=QualityReview.Outcome.SAMPLED)
    assert set(sampled.values_list("enrolment_id", flat=True)) == {cat}


def test_the_units_waiting_for_review_are_listed_oldest_first(client, carol, named_units, monkeypatch):
    monkeypatch.setattr(iqa_views, "WAITING_SHOWN", 2)
    for name in ("eve", "ann", "dan"):
        iqa_services.sample_add(iqa=carol, enrolments=[named_units[name]])
    page = _page(client, carol)
    waiting = page[page.index('id="waiting-heading"') : page.index('id="units-heading"')]
    assert re.findall(r'<a href="/assessments/units/\d+/">([^<]+)</a>', waiting) == [
        str(named_units["eve"].candidate),
        str(named_units["ann"].candidate),
    ]
    assert "These are the 2 waiting longest." in waiting
    assert 'href="?sample=waiting#units-heading">List all 3 units waiting for your review' in waiting


def test_the_filtered_and_paged_list_reads_a_fixed_number_of_queries(
    client, centre, carol, assessors, monkeypatch
):
    monkeypatch.setattr(iqa_views, "LIST_PAGE_SIZE", 3)
    query = f"?state=in-progress&q=a&sample=not-sampled&assessor={assessors['bob'].pk}&page=2"
    for n in range(4):
        unit_of(
            centre, carol, assessors["bob"], ("HSC331", "H3 25")[n % 2], [M.PRODUCT], first_name=f"Ada{n}"
        )
    few = _page_queries(client, carol, query)
    for n in range(12):
        unit_of(
            centre, carol, assessors["bob"], ("HSC331", "H3 25")[n % 2], [M.PRODUCT], first_name=f"Ana{n}"
        )
    assert _page_queries(client, carol, query) == few


def _page_queries(client, carol, query: str = "") -> int:
    client.force_login(carol)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/assessments/quality/{query}")
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

"""The access functions and the rights they compute, one rule a test.

Alice is the candidate; Bob is her assessor; Erin is another assessor at the centre (Dave's); Carol
is her IQA; Grace administers the centre; Heidi is the centre's EQA; Frank administers another
centre. Strangers find nothing (404); someone on the case who may read but not act is refused (403).
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessments import access
from assessments.models import Decision, QualityReview
from assessments.services import iqa, signoff
from exports import access as export_access
from exports import services as exports
from portfolio import access as portfolio_access
from portfolio.errors import PortfolioError
from portfolio.models import Role
from tests.assessments.unit_case import accepted_evidence, build_case, meet, submitted_evidence
from tests.factories import member

pytestmark = pytest.mark.django_db

ON_THE_CASE = ["alice", "bob", "carol", "grace", "heidi"]
STRANGERS = ["erin", "dave", "frank"]


@pytest.fixture
def case():
    case = build_case()
    case.people["heidi"] = member(case.centre, Role.EQA, first_name="Heidi", last_name="Hill", email="heidi@example.org")
    return case


@pytest.fixture
def signed(case):
    meet(case, case.hsc331, [accepted_evidence(case)])
    signoff.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    return case


def rights_of(case, who):
    return access.enrolment_for_user(case.people[who], case.hsc331.pk)[1]


# Fetching: everyone on the case finds the unit, strangers find nothing.


@pytest.mark.parametrize("who", ON_THE_CASE)
def test_it_finds_the_unit_for_everyone_on_the_case(case, who):
    enrolment, _ = access.enrolment_for_user(case.people[who], case.hsc331.pk)
    assert enrolment == case.hsc331


@pytest.mark.parametrize("who", STRANGERS)
def test_it_finds_nothing_for_a_stranger(case, who):
    with pytest.raises(Http404):
        access.enrolment_for_user(case.people[who], case.hsc331.pk)


def test_it_finds_the_same_nothing_for_a_unit_that_does_not_exist(case):
    with pytest.raises(Http404):
        access.enrolment_for_user(case.alice, 999_999)


# Who is who on the case.


@pytest.mark.parametrize(
    ("who", "candidate", "assessor", "iqa", "administrator", "eqa"),
    [
        ("alice", True, False, False, False, False),
        ("bob", False, True, False, False, False),
        ("carol", False, False, True, False, False),
        ("grace", False, False, False, True, False),
        ("heidi", False, False, False, False, True),
    ],
)
def test_it_knows_who_each_person_is_on_the_case(case, who, candidate, assessor, iqa, administrator, eqa):
    rights = rights_of(case, who)
    assert (rights.is_candidate, rights.is_assessor, rights.is_iqa, rights.is_administrator, rights.is_eqa) == (
        candidate, assessor, iqa, administrator, eqa,
    )


def test_it_answers_once_per_request_in_a_frozen_object(case):
    rights = rights_of(case, "bob")
    with pytest.raises(AttributeError):
        rights.is_assessor = False


# What each may do on a unit in progress.


@pytest.mark.parametrize("who", ON_THE_CASE)
def test_it_lets_only_the_assessor_record_decisions_and_sign_off(case, who):
    rights = rights_of(case, who)
    assert rights.may_record_decisions == (who == "bob")
    assert rights.may_sign_off == (who == "bob")
    assert rights.may_record_evidence == (who == "bob")


@pytest.mark.parametrize("who", ON_THE_CASE)
def test_it_lets_only_the_candidate_and_her_assessor_ask_a_witness(case, who):
    assert rights_of(case, who).may_request_testimony == (who in ("alice", "bob"))


@pytest.mark.parametrize("who", ON_THE_CASE)
def test_it_lets_only_the_iqa_review(case, who):
    assert rights_of(case, who).may_review == (who == "carol")


@pytest.mark.parametrize("who", ON_THE_CASE)
def test_nothing_is_there_to_countersign_or_unlock_before_sign_off(case, who):
    rights = rights_of(case, who)
    assert not rights.may_countersign
    assert not rights.may_unlock


def test_an_iqa_who_also_assesses_the_unit_may_not_review_it(case):
    case.hsc331.iqa = case.bob
    case.hsc331.save()
    assert not rights_of(case, "bob").may_review


# Once signed off, the unit is locked.


@pytest.mark.parametrize("who", ON_THE_CASE)
def test_a_signed_off_unit_takes_no_decisions_or_testimony(signed, who):
    rights = rights_of(signed, who)
    assert rights.signed_off
    assert not rights.may_record_decisions
    assert not rights.may_sign_off
    assert not rights.may_request_testimony


@pytest.mark.parametrize("who", ON_THE_CASE)
def test_only_the_candidate_countersigns(signed, who):
    assert rights_of(signed, who).may_countersign == (who == "alice")


def test_nobody_countersigns_twice(signed):
    signoff.unit_countersign(enrolment=signed.hsc331, candidate=signed.alice, declared=True)
    assert not rights_of(signed, "alice").may_countersign


@pytest.mark.parametrize("who", ON_THE_CASE)
def test_only_the_assessor_and_the_iqa_unlock(signed, who):
    assert rights_of(signed, who).may_unlock == (who in ("bob", "carol"))


# Refusals: 403 for someone on the case who never acts this way.


@pytest.mark.parametrize(
    ("check", "allowed"),
    [
        ("require_assessor", {"bob"}),
        ("require_candidate", {"alice"}),
        ("require_unlocker", {"bob", "carol"}),
        ("require_iqa", {"carol"}),
        ("require_evidence_gatherer", {"alice", "bob"}),
    ],
)
@pytest.mark.parametrize("who", ON_THE_CASE)
def test_it_refuses_with_403_those_on_the_case_who_do_not_act_so(case, who, check, allowed):
    rights = rights_of(case, who)
    if who in allowed:
        getattr(rights, check)()
    else:
        with pytest.raises(PermissionDenied):
            getattr(rights, check)()


# Evidence: the candidate changes it, her assessors judge it, others on the case read it.


@pytest.mark.parametrize(
    ("who", "changes", "judges"),
    [("alice", True, False), ("bob", False, True), ("carol", False, False), ("grace", False, False),
     ("heidi", False, False)],
)
def test_it_knows_who_changes_and_who_judges_evidence(case, who, changes, judges):
    evidence = submitted_evidence(case)
    found, rights = portfolio_access.evidence_for_user(case.people[who], evidence.pk)
    assert found == evidence
    assert (rights.may_change, rights.may_judge) == (changes, judges)


@pytest.mark.parametrize("who", STRANGERS)
def test_another_assessor_finds_none_of_her_evidence(case, who):
    evidence = submitted_evidence(case)
    with pytest.raises(Http404):
        portfolio_access.evidence_for_user(case.people[who], evidence.pk)
    with pytest.raises(Http404):
        portfolio_access.own_evidence_for_user(case.people[who], evidence.pk)


@pytest.mark.parametrize("who", ["bob", "carol", "grace", "heidi"])
def test_others_on_the_case_may_not_change_her_evidence(case, who):
    evidence = submitted_evidence(case)
    with pytest.raises(PermissionDenied):
        portfolio_access.own_evidence_for_user(case.people[who], evidence.pk)


def test_any_of_her_assessors_at_the_centre_judges_her_evidence(case):
    """Evidence is the candidate's, not one unit's: the assessor of another of her units judges it."""
    case.h3_25.assessor = case.erin
    case.h3_25.save()
    evidence = submitted_evidence(case)
    assert set(portfolio_access.assessors_of(evidence)) == {case.bob, case.erin}
    assert portfolio_access.assesses_candidate(case.erin, evidence)
    assert not portfolio_access.assesses_candidate(case.carol, evidence)


def test_the_assessor_of_the_unit_is_asked_of_the_enrolment(case):
    assert portfolio_access.is_assessor_of(case.bob, case.hsc331)
    assert not portfolio_access.is_assessor_of(case.erin, case.hsc331)
    assert not portfolio_access.is_assessor_of(case.alice, case.hsc331)


# Decisions and the IQA's reviews are found through their unit.


@pytest.mark.parametrize("who", ON_THE_CASE + STRANGERS)
def test_a_decision_is_found_by_those_on_the_case(case, who):
    meet(case, case.hsc331, [accepted_evidence(case)], skip=1)
    decision = Decision.objects.filter(enrolment=case.hsc331).first()
    if who in ON_THE_CASE:
        found, rights = access.decision_for_user(case.people[who], decision.pk)
        assert found == decision and rights.is_assessor == (who == "bob")
    else:
        with pytest.raises(Http404):
            access.decision_for_user(case.people[who], decision.pk)


@pytest.mark.parametrize("who", ON_THE_CASE + STRANGERS)
def test_a_review_is_found_by_those_on_the_case(case, who):
    iqa.sample_add(iqa=case.carol, enrolments=[case.hsc331])
    review = QualityReview.objects.get(enrolment=case.hsc331)
    if who in ON_THE_CASE:
        found, _ = access.quality_review_for_user(case.people[who], review.pk)
        assert found == review
    else:
        with pytest.raises(Http404):
            access.quality_review_for_user(case.people[who], review.pk)


# Bulk exports are the centre's administrators' alone, and the service checks again.


@pytest.mark.parametrize("who", ON_THE_CASE + STRANGERS)
def test_only_the_centres_administrator_finds_its_exports(case, who):
    export, _ = exports.bulk_export_request(
        centre=case.centre, administrator=case.grace, enrolments=[case.hsc331], description="One unit"
    )
    if who == "grace":
        assert export_access.export_for_user(case.grace, export.pk) == export
        assert export_access.exporting_centre_for_user(case.grace, case.centre.pk) == case.centre
    else:
        with pytest.raises(Http404):
            export_access.export_for_user(case.people[who], export.pk)
        with pytest.raises(Http404):
            export_access.exporting_centre_for_user(case.people[who], case.centre.pk)


@pytest.mark.parametrize("who", ["bob", "carol", "heidi", "frank"])
def test_the_bulk_export_service_refuses_anyone_but_the_centres_administrator(case, who):
    with pytest.raises(PortfolioError, match="Only the administrators of Riverside Training can export"):
        exports.bulk_export_request(
            centre=case.centre, administrator=case.people[who], enrolments=[case.hsc331], description="One unit"
        )


# Through the pages: the EQA reads everything at the centre and changes nothing.


def test_the_eqa_reads_the_unit_and_its_decisions(client, case):
    client.force_login(case.people["heidi"])
    assert client.get(f"/assessments/units/{case.hsc331.pk}/").status_code == 200
    assert client.get(f"/assessments/units/{case.hsc331.pk}/decisions/").status_code == 200
    assert client.get(f"/assessments/evidence/{submitted_evidence(case).pk}/").status_code == 200


@pytest.mark.parametrize(
    "address",
    ["units/{unit}/sign-off/", "units/{unit}/countersign/", "units/{unit}/unlock/", "units/{unit}/review/",
     "units/{unit}/observation/new/", "units/{unit}/testimony/new/"],
)
def test_the_eqa_is_refused_every_action(client, case, address):
    client.force_login(case.people["heidi"])
    assert client.get("/assessments/" + address.format(unit=case.hsc331.pk)).status_code == 403


def test_the_unit_page_offers_the_administrator_no_assessors_buttons(client, case):
    client.force_login(case.grace)
    page = client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()
    assert "See decisions" in page
    for button in ("Record decisions", "Sign off</a>", "Record an observation", "Review this unit", "Ask a witness"):
        assert button not in page

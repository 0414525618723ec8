"""The IQA's review is signed when it is recorded: a countersignature whose words or date are
rewritten in the database, or one inserted there by hand, is found wherever the record is checked
(an outside trial rewrote Carol's countersignature to a date before the sign-off, and every page
and the sealed PDF said intact). The assessor's later answer to a referral is not part of it.

Alice is the candidate on HSC331, Bob her assessor, Carol her IQA (tests/assessments/unit_case.py)."""

import datetime

import pytest
from django.utils import timezone

from assessments import fixity
from assessments.models import QualityReview, SignOff
from assessments.services import iqa
from assessments.services import signoff as services
from tests.assessments.unit_case import accepted_evidence, build_case, meet

pytestmark = pytest.mark.django_db

ALTERED = "The internal quality assurer’s review (countersigned, recorded "


@pytest.fixture
def case():
    case = build_case()
    meet(case, case.hsc331, [accepted_evidence(case, title="Supporting a family visit")])
    services.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    services.unit_countersign(enrolment=case.hsc331, candidate=case.alice, declared=True)
    iqa.sample_add(iqa=case.carol, enrolments=[case.hsc331])
    case.review = iqa.review_record(review_or_enrolment=case.hsc331, iqa=case.carol, outcome="countersigned",
                                    comments="Sampled the whole unit: the decisions are sound.")
    return case


def _standing(case) -> SignOff:
    return SignOff.objects.get(enrolment=case.hsc331, voided_at=None)


def _unit_page(client, case) -> str:
    client.force_login(case.carol)
    return client.get(f"/assessments/units/{case.hsc331.pk}/").content.decode()


def test_a_countersignature_as_made_verifies(client, case):
    assert case.review.signature
    assert fixity.page_report(_standing(case)).intact
    assert "<strong>Intact:</strong>" in _unit_page(client, case)


@pytest.mark.parametrize("rewrite", [
    {"comments": "Sampled only E1; concerns about authenticity."},
    {"reviewed_at": timezone.now() - datetime.timedelta(days=40)},
    {"outcome": QualityReview.Outcome.REFERRED, "actions": "Observe again."},
])
def test_a_review_rewritten_in_the_database_is_found_on_the_page_and_at_every_boundary(client, case, rewrite):
    QualityReview.objects.filter(pk=case.review.pk).update(**rewrite)

    problems = fixity.page_report(_standing(case)).problems
    assert any(p.startswith("The internal quality assurer’s review (") and p.endswith("has been altered since it was made.")
               for p in problems), problems
    assert 'data-integrity="broken"' in _unit_page(client, case)
    report = fixity.judged(_standing(case), boundary=fixity.Boundary.ON_DEMAND, by=case.grace)
    assert not report.intact


def test_a_countersignature_inserted_by_hand_is_found(case):
    QualityReview.objects.create(
        enrolment=case.hsc331, sign_off=_standing(case), iqa=case.carol, stage=QualityReview.Stage.FINAL,
        outcome=QualityReview.Outcome.COUNTERSIGNED, sampled_at=timezone.now(), reviewed_at=timezone.now(),
        comments="Countersigned.",
    )

    assert [p for p in fixity.page_report(_standing(case)).problems if p.startswith(ALTERED)] != []


def test_the_assessors_answer_to_a_referral_does_not_touch_the_iqas_signature(case):
    meet(case, case.h3_25, [accepted_evidence(case, enrolment=case.h3_25, title="Arranging repairs")])
    services.unit_sign_off(enrolment=case.h3_25, assessor=case.bob, declared=True)
    iqa.sample_add(iqa=case.carol, enrolments=[case.h3_25])
    referral = iqa.review_record(review_or_enrolment=case.h3_25, iqa=case.carol, outcome="referred",
                                 actions="Observe Alice arranging a repair.")

    iqa.review_actions_done(review=referral, assessor=case.bob, note="Observed on Monday.")

    assert fixity.page_report(SignOff.objects.get(enrolment=case.h3_25, voided_at=None)).intact

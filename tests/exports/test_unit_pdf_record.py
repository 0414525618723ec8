"""A signed-off unit's PDF reads its decisions from the sign-off's manifest, and its cover's
"Completed" date is when the last signature the unit needs was given (assessments/unit_state.py).

The unit (tests/exports/conftest.py): Alice Morgan's H3 25, every item met citing E1 and E2, Bob
Hughes her assessor, Carol Singh her IQA.
"""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from assessments import integrity
from assessments.models import Decision, QualityReview, SignOff
from exports.unit_pdf import render_unit_pdf
from portfolio import services
from portfolio.models import AssessmentMethod, EvidenceState
from tests.assessments.unit_case import signed_as_the_service_signs

pytestmark = pytest.mark.django_db


def _sign(enrolment, bob) -> SignOff:
    sign_off = signed_as_the_service_signs(enrolment, bob)
    integrity.countersign(sign_off, signed_at=timezone.now())
    sign_off.save()
    return sign_off


def _cover_and_text(enrolment) -> tuple[str, str]:
    pdf = render_unit_pdf(enrolment)
    assert pdf is not None  # given no target, it returns the bytes
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    return pages[0], " ".join(pages)


def _day(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%-d %B %Y")


def test_a_citation_added_in_the_database_after_sign_off_is_not_in_the_pdf(unit):
    enrolment = unit["enrolment"]
    _sign(enrolment, unit["bob"])
    later = services.evidence_create(
        candidate=enrolment.candidate, centre=enrolment.centre, author=enrolment.candidate, title="Accepted later",
        method=AssessmentMethod.REFLECTIVE_ACCOUNT, activity_date=enrolment.start_date, account="Notes.",
    )
    later.criteria.add(unit["criteria"][0])
    later.state = EvidenceState.ACCEPTED
    later.save()
    decision = Decision.objects.standing().get(enrolment=enrolment, criterion=unit["criteria"][0])
    decision.evidence.add(later)  # by hand: the service refuses on a locked unit

    _, text = _cover_and_text(enrolment)

    assert later.reference == "E3"
    assert "— evidence E1, E2, E3" not in text and "Accepted later" not in text
    assert text.count("— evidence E1, E2") == len(unit["criteria"]) + len(unit["knowledge"])


def test_the_cover_says_completed_when_the_last_signature_needed_was_given(unit):
    enrolment = unit["enrolment"]
    sign_off = _sign(enrolment, unit["bob"])
    cover, _ = _cover_and_text(enrolment)
    assert f"Completed {_day(sign_off.candidate_signed_at)}" in cover

    # In the IQA's sample, it waits for the IQA.
    review = QualityReview.objects.create(
        enrolment=enrolment, sign_off=sign_off, iqa=enrolment.iqa, stage=QualityReview.Stage.FINAL,
        outcome=QualityReview.Outcome.SAMPLED, sampled_at=timezone.now(),
    )
    cover, _ = _cover_and_text(enrolment)
    assert "Completed Not yet" in cover

    countersigned_at = timezone.now() + datetime.timedelta(days=3)
    QualityReview.objects.filter(pk=review.pk).update(
        outcome=QualityReview.Outcome.COUNTERSIGNED, reviewed_at=countersigned_at
    )
    cover, _ = _cover_and_text(enrolment)
    assert f"Completed {_day(countersigned_at)}" in cover

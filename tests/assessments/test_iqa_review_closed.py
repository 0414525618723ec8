"""The IQA's review of a withdrawn or transferred unit (an outside trial's finding): the page offered
"Countersign" and a referral, then refused what was posted; a referral was refused "while the
candidate is deactivated", though she was not. Now the page says why the unit is not reviewed,
with no form, and a review posted anyway is refused with that reason and records nothing.

Alice is Bob's candidate on HSC331; Carol is its IQA."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import QualityReview
from portfolio.models import Notification
from portfolio.services_enrolments import enrolment_withdraw
from tests.assessments.unit_case import accept, build_case, meet, submitted_evidence

pytestmark = pytest.mark.django_db

CLOSED = ("Alice Adams’s HSC331 is withdrawn, so it is not sampled or reviewed. Its record is kept as it stands; "
          "the centre can reinstate it.")


def words(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def case():
    case = build_case()
    evidence = accept(submitted_evidence(case), case.bob)
    meet(case, case.hsc331, [evidence], skip=5)
    enrolment_withdraw(enrolment=case.hsc331, effective_date=timezone.localdate(), reason="Left the course.",
                       changed_by=case.grace)
    return case


def test_the_review_page_of_a_withdrawn_unit_says_why_and_offers_no_form(client, case):
    client.force_login(case.carol)
    response = client.get(reverse("assessments:iqa_review", args=[case.hsc331.pk]))
    assert response.status_code == 200
    assert CLOSED in words(response)
    assert 'name="outcome"' not in response.content.decode()
    assert "Record review" not in words(response)


@pytest.mark.parametrize("outcome", ["countersigned", "referred"])
def test_a_review_posted_anyway_is_refused_with_the_true_reason_and_records_nothing(client, case, outcome):
    client.force_login(case.carol)
    before = Notification.objects.count()
    response = client.post(
        reverse("assessments:iqa_review", args=[case.hsc331.pk]),
        {"outcome": outcome, "comments": "Looked at it.", "actions": "Judge E1 again.", "sign_off": ""},
    )
    page = words(response)
    assert response.status_code == 400
    assert f"{CLOSED} Nothing was recorded." in page
    assert "deactivated" not in page
    assert not QualityReview.objects.filter(enrolment=case.hsc331).exclude(outcome=QualityReview.Outcome.SAMPLED).exists()
    assert Notification.objects.count() == before

"""The IQA on a deactivated candidate's unit (an outside trial's finding): the unit page said only
"This unit is not in your sample; you can still review it", the review page's header did not mark
the candidate "(deactivated)" and offered "Refer back to the assessor", though the assessor can act
on nothing of theirs. Now both pages say once what the deactivation means for the IQA, the review
offers countersigning only, and a referral posted anyway (or asked of the service) records nothing.
The sample page's flash names each unit it added: the suggested ones come ticked, and "2 units
added" surprised someone who had ticked one.

Dave is Erin's candidate on HSC331, Carol the IQA of his unit and of Alice's (Bob assesses those)."""

import html
import re

import pytest
from django.urls import reverse

from assessments.models import QualityReview
from assessments.services import iqa
from portfolio import held_roles
from portfolio.errors import PortfolioError
from portfolio.models import Notification
from portfolio.services_people import membership_deactivate
from tests.assessments.quality_records import sign_off
from tests.assessments.unit_case import accept, build_case, meet, submitted_evidence

pytestmark = pytest.mark.django_db

MEANS = ("Dave Davies is deactivated at Riverside Training: nothing on this unit is judged, decided or signed off "
         "until the centre reactivates them. You can still review it and agree with the decisions so far, but not "
         "refer it back to the assessor, who can act on nothing of theirs meanwhile.")


def words(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def case():
    case = build_case()
    evidence = accept(submitted_evidence(case, candidate=case.dave, enrolment=case.dave_hsc331), case.erin)
    meet(case, case.dave_hsc331, [evidence], skip=5)
    membership_deactivate(centre=case.centre, person=case.dave, deactivated_by=case.grace, reason="Left the course.")
    return case


def test_the_unit_page_says_once_what_it_means_for_the_iqa(client, case):
    client.force_login(case.carol)
    page = words(client.get(reverse("assessments:enrolment_detail", args=[case.dave_hsc331.pk])))
    assert page.count(MEANS) == 1
    assert "Dave Davies’s unit (candidate deactivated)" in page
    assert "Review this unit" in page


def test_the_review_page_marks_the_candidate_and_offers_countersigning_only(client, case):
    client.force_login(case.carol)
    response = client.get(reverse("assessments:iqa_review", args=[case.dave_hsc331.pk]))
    page = words(response)
    assert response.status_code == 200
    assert "Dave Davies’s unit (candidate deactivated) · assessor Erin Evans" in page
    assert page.count(MEANS) == 1
    # Not signed off: an interim review, where the IQA agrees with the decisions so far.
    assert "Agree with the assessor’s decisions so far" in page and "Refer back to the assessor" not in page
    assert 'name="actions"' not in response.content.decode()


def test_a_referral_posted_anyway_records_nothing(client, case):
    client.force_login(case.carol)
    before = Notification.objects.count()
    response = client.post(
        reverse("assessments:iqa_review", args=[case.dave_hsc331.pk]),
        {"outcome": "referred", "actions": "Judge E1 again.", "sign_off": ""},
    )
    assert response.status_code == 400
    assert "Referring back is not offered while the candidate is deactivated" in words(response)
    assert not QualityReview.objects.filter(enrolment=case.dave_hsc331).exists()
    assert Notification.objects.count() == before


def test_the_service_refuses_a_referral_and_records_nothing(case):
    with pytest.raises(PortfolioError, match=r"the unit is not referred back until the centre reactivates them.*"
                       "you can agree with the decisions so far instead"):
        iqa.review_record(review_or_enrolment=case.dave_hsc331, iqa=case.carol, outcome="referred", actions="Judge again.")
    assert not QualityReview.objects.filter(enrolment=case.dave_hsc331).exists()


def test_countersigning_what_was_decided_still_stands(client, case):
    client.force_login(case.carol)
    response = client.post(
        reverse("assessments:iqa_review", args=[case.dave_hsc331.pk]), {"outcome": "countersigned", "sign_off": ""},
    )
    assert response.status_code == 302
    assert QualityReview.objects.get(enrolment=case.dave_hsc331).outcome == QualityReview.Outcome.COUNTERSIGNED


def test_the_sample_flash_names_each_unit_added(client, case):
    client.force_login(case.carol)
    sample = words(client.get(reverse("assessments:iqa_sample")))
    assert "ticked, it goes into your sample like any other, to agree with what was decided so far" in sample
    response = client.post(
        reverse("assessments:iqa_sample"), {"enrolments": [case.dave_hsc331.pk, case.hsc331.pk]}, follow=True,
    )
    page = words(response)
    assert "2 units added to your sample: " in page
    assert "Dave Davies (deactivated), HSC331" in page and "Alice Adams, HSC331" in page

    again = words(client.post(reverse("assessments:iqa_sample"), {"enrolments": [case.dave_hsc331.pk]}, follow=True))
    assert "0 units added to your sample. 1 was in it already: Dave Davies (deactivated), HSC331." in again


def test_of_a_signed_off_unit_the_iqa_is_told_they_may_countersign_it(case):
    """An interim review agrees with the decisions so far; only a signed-off unit is countersigned
    (outside trial: both read "countersign what was decided")."""
    sign_off(case.dave_hsc331)
    means = held_roles.deactivated_for_iqa(case.dave_hsc331)
    assert "You can still review it and countersign the signed-off unit, but not refer it back" in means
    assert "agree" not in means
    with pytest.raises(PortfolioError, match="you can countersign the signed-off unit instead"):
        held_roles.require_may_refer_back(case.dave_hsc331)

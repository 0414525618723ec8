"""An outside trial of a withdrawn unit's page: it still gave sign-off guidance ("Scope no evidence
covers yet: ... At sign-off the assessor covers them..."), and its banner ran the administrator's
reason into the next sentence ("...Moving house, continuing at Leeds The unit is kept as it stands").

Bob assesses Alice's HSC331 at Riverside; Grace administers Riverside."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.services_enrolments import enrolment_transfer, enrolment_withdraw
from tests.portfolio.test_enrolment_admin_trial import words

pytestmark = pytest.mark.django_db


def _unit_page(client, person, enrolment) -> str:
    client.force_login(person)
    return words(client.get(reverse("assessments:enrolment_detail", args=[enrolment.pk])))


def test_an_open_unit_gives_its_sign_off_guidance(client, bob, hsc331):
    page = _unit_page(client, bob, hsc331)
    assert "Scope no evidence covers yet" in page and "At sign-off the assessor covers" in page


def test_a_withdrawn_unit_gives_no_sign_off_guidance_and_its_reason_ends_its_sentence(client, grace, bob, hsc331):
    enrolment_withdraw(enrolment=hsc331, effective_date=timezone.localdate(), reason="Moving house, continuing at Leeds",
                       changed_by=grace)

    page = _unit_page(client, bob, hsc331)
    assert "Moving house, continuing at Leeds. The unit is kept as it stands" in page
    assert "Scope no evidence covers yet" not in page and "at sign-off the assessor covers" not in page.lower()
    assert "Everything is met: the assessor can sign the unit off" not in page
    assert "It is withdrawn, so it is not signed off here unless the centre reinstates it." in page


def test_a_transferred_units_reason_keeps_its_own_end_punctuation(client, grace, bob, hsc331):
    enrolment_transfer(enrolment=hsc331, to_centre="Leeds College", effective_date=timezone.localdate(),
                       reason="Moving house?", changed_by=grace)

    page = _unit_page(client, bob, hsc331)
    assert "Moving house? The unit is kept as it stands" in page
    assert "At sign-off the assessor covers" not in page


def test_the_assessor_of_a_withdrawn_unit_is_told_why_judged_evidence_has_no_comment_box(client, alice, grace, bob,
                                                                                          hsc331, h3_25):
    """An outside trial: E1, judged, mapped to HSC331 withdrawn, showed its assessor no comment box
    and no word why, where evidence of a transferred unit explained."""
    from assessments.services import judging
    from tests.assessments.judging_people import fresh, submitted

    evidence = submitted(alice, hsc331, title="Keeping in touch", criteria=("HSC331a.1",))
    judging.evidence_accept(evidence=evidence, assessor=bob, proves=[], valid=True, authentic=True, current=True,
                            sufficient=True)
    for enrolment in (hsc331, h3_25):
        enrolment_withdraw(enrolment=enrolment, effective_date=timezone.localdate(), reason="Left.", changed_by=grace)

    client.force_login(bob)
    response = client.get(reverse("assessments:evidence_detail", args=[fresh(evidence).pk]))
    page = words(response)
    assert response.status_code == 200 and 'name="text"' not in response.content.decode()
    assert (f"The conversation about {evidence.reference} is closed while the units it bears on are no longer open; "
            "what was written is kept.") in page


def test_the_iqa_is_not_offered_countersign_on_a_unit_with_no_decisions_and_is_told_why(client, carol, hsc331):
    """An outside trial: the review page offered Countersign and refused only once sent."""
    client.force_login(carol)
    address = reverse("assessments:iqa_review", args=[hsc331.pk])

    response = client.get(address)
    html, page = response.content.decode(), words(response)
    # Not signed off: an interim review, where the IQA would agree with the decisions so far.
    assert ("Agreeing with the decisions so far is not offered: The assessor has recorded no decisions on this unit "
            "yet, so there is nothing to review.") in page
    assert 'value="countersigned"' not in html and 'value="referred"' in html

    sent = client.post(address, {"outcome": "countersigned", "comments": "Looks fine.", "sign_off": ""})
    assert sent.status_code == 400 and "nothing to review" in words(sent)

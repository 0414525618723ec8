"""Fresh-user findings on the unit page: the candidate is told in a sentence that what was signed is
sealed, where staff see the digests (the PDF keeps them too); "Sign off" is not offered on a unit
that is not ready, which says what is left instead, and the sign-off page's list of what is left is a
list.

Alice is the candidate, Bob her assessor, Carol her IQA (tests/assessments/unit_case.py).
"""

import re

import pytest
from django.urls import reverse

from assessments.services.signoff import unit_sign_off
from tests.assessments.unit_case import accepted_evidence, build_case, meet

pytestmark = pytest.mark.django_db

SEALED = "What your assessor signed is sealed; any change would show here."


@pytest.fixture
def case(db):
    return build_case()


def _unit_page(client, person, enrolment) -> str:
    client.force_login(person)
    response = client.get(reverse("assessments:enrolment_detail", args=[enrolment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_candidate_reads_a_sentence_and_staff_the_digests(client, case):
    meet(case, case.hsc331, [accepted_evidence(case)])
    sign_off = unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)

    alices = _unit_page(client, case.alice, case.hsc331)
    assert SEALED in alices
    assert "SHA-256" not in alices and "HMAC" not in alices and sign_off.signature not in alices
    assert sign_off.decisions_digest not in alices

    for person in (case.bob, case.carol):
        page = _unit_page(client, person, case.hsc331)
        assert "Decisions digest (SHA-256)" in page and sign_off.signature in page
        assert SEALED not in page


def _sign_off_links(page: str) -> list[str]:
    return re.findall(r'<a class="btn[^"]*" href="/assessments/units/\d+/sign-off/">([^<]+)</a>', page)


def test_a_unit_not_ready_offers_what_is_left_not_sign_off(client, case):
    meet(case, case.h3_25, [accepted_evidence(case, enrolment=case.h3_25)], skip=27)

    page = _unit_page(client, case.bob, case.h3_25)
    assert _sign_off_links(page) == ["What is left before sign-off"]
    assert ">Sign off<" not in page

    client.force_login(case.bob)
    left = client.get(reverse("assessments:sign_off", args=[case.h3_25.pk])).content.decode()
    assert "Not ready to sign off:</strong> 27 criteria and knowledge items are not met yet." in left
    listed = re.search(r'<ul class="mb-0 missing-references" aria-label="Not met yet">(.*?)</ul>', left, re.S).group(1)
    items = re.findall(r'<li><span class="ref">([^<]+)</span></li>', listed)
    assert len(items) == 27 and "list-inline" not in left


def test_a_unit_ready_offers_sign_off(client, case):
    meet(case, case.h3_25, [accepted_evidence(case, enrolment=case.h3_25)])
    assert "Sign off H3 25" in _sign_off_links(_unit_page(client, case.bob, case.h3_25))


def test_the_iqa_reads_that_they_countersigned_the_unit_not_that_it_is_out_of_their_sample(client, case):
    """Outside trial: right after the IQA countersigned a unit, its page told them "This unit is not
    in your sample; you can still review it", as if the review had been lost."""
    from django.utils import timezone
    from django.utils.formats import date_format

    from assessments.models import QualityReview

    meet(case, case.hsc331, [accepted_evidence(case)])
    sign_off = unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    carols = " ".join(re.sub(r"<[^>]+>", " ", _unit_page(client, case.carol, case.hsc331)).split())
    assert "This unit is not in your sample; you can still review it." in carols
    now = timezone.now()
    QualityReview.objects.create(enrolment=case.hsc331, sign_off=sign_off, iqa=case.carol, stage=QualityReview.Stage.FINAL,
                                 outcome=QualityReview.Outcome.COUNTERSIGNED, sampled_at=now, reviewed_at=now)
    carols = " ".join(re.sub(r"<[^>]+>", " ", _unit_page(client, case.carol, case.hsc331)).split())
    today = date_format(timezone.localtime(now), "j F Y")
    assert (f"Carol Clark countersigned this unit on {today} (final review); nothing on it waits for you. "
            "You can review it again.") in carols
    assert "not in your sample" not in carols

"""Evidence submitted before a unit was signed off, still waiting, and mapped only to that unit: it
stays in the assessor's queue, so the candidate hears back, but the queue, the evidence page and
the unit page say the unit is signed off and that judging it will not change the signed record; and
judging it does not.

Alice is the candidate on HSC331 and H3 25; Bob, her assessor, signs HSC331 off while E2 waits.
"""

import html
import re

import pytest
from django.utils import timezone

from assessments import integrity
from assessments.progress import unit_progress
from assessments.services import decisions, judging, signoff
from portfolio import dates
from portfolio.errors import PortfolioError
from portfolio.models import EvidenceState
from standards.models import Criterion
from tests.assessments.unit_case import accepted_evidence, build_case, meet, submitted_evidence

pytestmark = pytest.mark.django_db

LOCKED_NOTE = "judging it will not change the signed record."


@pytest.fixture
def case():
    case = build_case()
    meet(case, case.hsc331, [accepted_evidence(case, title="Supporting a family visit")])
    case.waiting = submitted_evidence(case, title="Lunch club plans", references=["HSC331a.2"], uploads=[])
    case.holistic = submitted_evidence(case, title="Tenancy visit", references=["HSC331a.3", "H3 25.1"], uploads=[])
    case.signed = signoff.unit_sign_off(enrolment=case.hsc331, assessor=case.bob, declared=True)
    case.signed_on = dates.day(case.signed.assessor_signed_at)
    return case


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def queue_row(page: str, title: str) -> str:
    return next(row for row in re.findall(r"<tr>(.*?)</tr>", page, re.S) if title in row)


def test_the_queue_says_the_unit_is_signed_off_beside_evidence_mapped_only_to_it(client, case):
    client.force_login(case.bob)
    page = client.get("/assessments/assess/").content.decode()

    row = html.unescape(queue_row(page, "Lunch club plans"))
    assert f"HSC331 was signed off on {case.signed_on}: {LOCKED_NOTE}" in row
    # Still there to judge: the candidate waits for an answer either way.
    assert f'/assessments/evidence/{case.waiting.pk}/#judge' in row
    # Evidence mapped to an open unit as well is judged as ever.
    assert LOCKED_NOTE not in queue_row(page, "Tenancy visit")

    home = html.unescape(client.get("/").content.decode())
    assert f"HSC331 was signed off on {case.signed_on}: {LOCKED_NOTE}" in queue_row(home, "Lunch club plans")


def test_the_judging_page_says_why_and_the_candidate_sees_it_too(client, case):
    client.force_login(case.bob)
    page = text(client.get(f"/assessments/evidence/{case.waiting.pk}/"))
    assert (
        f"HSC331 was signed off on {case.signed_on}. E2 is mapped to no other unit and is not part of its signed "
        "record. Judging it will not change the signed record: no decision can cite it unless the unit is unlocked."
    ) in page
    assert "Judge E2" in page  # the form is there: the candidate waits for an answer either way

    client.force_login(case.alice)
    page = text(client.get(f"/assessments/evidence/{case.waiting.pk}/"))
    assert "Your assessor can still judge it, but it will not count towards the signed-off unit unless they unlock it." in page

    client.force_login(case.bob)
    assert "not part of its signed record" not in text(client.get(f"/assessments/evidence/{case.holistic.pk}/"))


def test_judging_it_leaves_the_signed_record_as_it_was(client, case):
    judging.evidence_accept(evidence=case.waiting, assessor=case.bob, valid=True, authentic=True, current=True, sufficient=True)

    case.waiting.refresh_from_db()
    assert case.waiting.state == EvidenceState.ACCEPTED
    assert integrity.verify(case.signed) == []
    record = unit_progress(case.hsc331, viewer=None, sign_off=case.signed).record
    assert record is not None and case.waiting.pk not in record.evidence_ids
    with pytest.raises(PortfolioError, match="signed off"):
        decisions.decision_record(
            enrolment=case.hsc331, assessor=case.bob, criterion=Criterion.objects.get(reference="HSC331a.2"),
            evidence=[case.waiting], decided_on=timezone.localdate(),
        )
    # And the page lists it apart, not as part of the record.
    client.force_login(case.bob)
    assert "Added after sign-off — not part of the signed record" in text(client.get(f"/assessments/units/{case.hsc331.pk}/"))


def test_the_assessors_unit_page_says_judging_what_waits_will_not_change_the_record(client, case):
    client.force_login(case.bob)
    page = text(client.get(f"/assessments/units/{case.hsc331.pk}/"))
    assert (
        "2 pieces of evidence for HSC331 wait for your judgement. This unit is signed off; unlock it to add "
        "evidence. Judging the evidence waiting will not change the unit’s signed record."
    ) in page

"""The assessor of withdrawn or transferred units, posting anyway on evidence that bears only on them
(an outside trial's finding: a stale tab's comment got a bare 403). Their right to write and judge
went with the units, and the page offers neither; a comment or judgement posted anyway now answers
with the evidence page saying why in plain words, and nothing is recorded.

Alice is the candidate on HSC331 and H3 25 at Riverside, Bob her assessor on both, Grace the
centre's administrator (tests/cast.py)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.models import EvidenceComment, Judgement
from assessments.services import judging
from portfolio.models import AuditEvent, EvidenceState, Notification
from portfolio.services_enrolments import enrolment_transfer, enrolment_withdraw
from tests.assessments.judging_people import fresh, submitted
from tests.portfolio.test_no_open_unit import _text

pytestmark = pytest.mark.django_db

VACS = {"valid": "on", "authentic": "on", "current": "on", "sufficient": "on"}
CLOSED_CONVERSATION = "is closed while the units it bears on are no longer open; what was written is kept."


def _on() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=3)


def _close_both(hsc331, h3_25, grace, on: datetime.date | None = None) -> None:
    on = on or _on()
    enrolment_withdraw(enrolment=hsc331, effective_date=on, reason="Paused.", changed_by=grace)
    enrolment_transfer(
        enrolment=h3_25, to_centre="Hillside College", effective_date=on, reason="Moved.", changed_by=grace
    )


def _recorded() -> tuple[int, int, int, int, int]:
    return (
        EvidenceComment.objects.count(),
        Judgement.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
        len(mail.outbox),
    )


@pytest.fixture
def waiting(alice, grace, hsc331, h3_25):
    """Submitted on H3 25 alone; then both of Alice's units with Bob closed."""
    evidence = submitted(alice, h3_25, title="Boundaries at work", criteria=("H3 25.1",))
    _close_both(hsc331, h3_25, grace)
    return fresh(evidence)


def test_the_page_offers_bob_no_comment_box_and_says_why(client, bob, waiting):
    client.force_login(bob)
    page = _text(client.get(reverse("assessments:evidence_detail", args=[waiting.pk])))
    assert f"The conversation about {waiting.reference} {CLOSED_CONVERSATION}" in page
    assert "Write to Alice" not in page


def test_a_comment_posted_anyway_answers_with_the_page_saying_why(client, bob, waiting):
    client.force_login(bob)
    before = _recorded()

    response = client.post(
        reverse("assessments:evidence_comment", args=[waiting.pk]),
        {"text": "Any news on this one?"},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(f"/evidence/{waiting.pk}/#conversation")
    page = _text(response)
    assert (
        f"The conversation about {waiting.reference} {CLOSED_CONVERSATION} Your comment was not sent." in page
    )
    assert "bears only on units no longer open (H3 25 was transferred" in page
    assert _recorded() == before


def test_a_judgement_posted_anyway_answers_with_the_page_saying_why(client, bob, waiting):
    client.force_login(bob)
    before = _recorded()

    response = client.post(
        reverse("assessments:judge", args=[waiting.pk]), {"decision": "accept", **VACS, "feedback": "Good."}
    )

    assert response.status_code == 403
    page = _text(response)
    assert f"Your judgement of {waiting.reference} was not recorded, and nothing was changed." in page
    assert "bears only on units no longer open (H3 25 was transferred" in page
    assert 'id="judge"' not in response.content.decode()
    assert fresh(waiting).state == EvidenceState.SUBMITTED and _recorded() == before


def test_on_evidence_judged_before_the_units_closed_the_message_says_why(
    client, alice, bob, grace, hsc331, h3_25
):
    evidence = submitted(alice, h3_25, title="Boundaries at work", criteria=("H3 25.1",))
    judging.evidence_accept(
        evidence=fresh(evidence),
        assessor=bob,
        proves=[],
        valid=True,
        authentic=True,
        current=True,
        sufficient=True,
    )
    # Closed today: not before the judgement, the unit's last decision.
    _close_both(hsc331, h3_25, grace, on=timezone.localdate())
    client.force_login(bob)
    before = _recorded()

    response = client.post(
        reverse("assessments:judge", args=[evidence.pk]), {"decision": "accept", **VACS, "feedback": "Again."}
    )

    assert response.status_code == 403
    page = _text(response)
    assert (
        f"Your judgement of {evidence.reference} was not recorded, and nothing was changed. "
        f"{evidence.reference} bears only on units no longer open (H3 25 was transferred"
    ) in page
    assert _recorded() == before


def test_the_iqa_who_writes_nothing_is_still_refused(client, carol, waiting):
    client.force_login(carol)
    response = client.post(reverse("assessments:evidence_comment", args=[waiting.pk]), {"text": "A note."})
    assert response.status_code == 403
    assert not EvidenceComment.objects.exists()

"""Unlocking a finished unit whose candidate, or assessor, has left the centre (outside tester):
the IQA unlocked a unit signed off, countersigned by the learner and by the IQA, with learner and
assessor both deactivated, leaving an in-progress unit nobody could work on. It is refused, with
what to do first, and changes nothing; the unit page offers no Unlock then, and says why.

Bob assesses Alice's HSC331 at Riverside, Carol quality-assures it; Erin is another assessor there
and Grace administers Riverside."""

import re

import pytest
from django.urls import reverse

from assessments.audit_actions import AssessmentAction
from assessments.models import SignOff
from assessments.services.signoff import unit_unlock
from portfolio.errors import PortfolioError
from portfolio.models import AuditEvent, Enrolment, Notification
from portfolio.services_enrolments import enrolment_reassign
from portfolio.services_people import membership_deactivate
from tests.assessments.quality_records import countersigned_by_the_iqa

pytestmark = pytest.mark.django_db

ALICE_GONE = ("Alice Adams is deactivated at Riverside Training: reactivate them first, so that someone can work "
              "on the unit again.")
BOB_GONE = ("Bob Baker, its assessor, is no longer an assessor at Riverside Training: give the unit another "
            "assessor first, so that someone can work on it again.")


def words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode().replace("&#x27;", "'")).split())


@pytest.fixture
def finished(centre, grace, alice, bob, carol, hsc331):
    """Alice's HSC331, signed off, countersigned by her and by Carol, the IQA."""
    countersigned_by_the_iqa(hsc331)
    return hsc331


def deactivated(centre, grace, *people):
    for person in people:
        membership_deactivate(centre=centre, person=person, deactivated_by=grace, reason="Left the centre.")
    Notification.objects.all().delete()


@pytest.mark.parametrize("gone, refusal", [
    ("alice", ALICE_GONE), ("bob", BOB_GONE), ("both", f"{ALICE_GONE} {BOB_GONE}"),
])
def test_the_iqa_is_refused_unlocking_while_the_candidate_or_the_assessor_is_gone(
    client, centre, grace, alice, bob, carol, finished, gone, refusal
):
    deactivated(centre, grace, *{"alice": [alice], "bob": [bob], "both": [alice, bob]}[gone])
    unit = reverse("assessments:enrolment_detail", args=[finished.pk])
    unlock = reverse("assessments:unlock", args=[finished.pk])
    client.force_login(carol)

    page = words(client.get(unit))
    assert "Unlock…" not in page
    assert f"It cannot be unlocked now: {refusal}" in page
    assert refusal in words(client.get(unlock))
    assert "Unlock this unit" not in words(client.get(unlock))

    response = client.post(unlock, {"reason": "K3 cites the wrong account."})

    assert response.status_code == 400
    assert refusal in words(response)
    # Answered as the page was: no form to fill in again (outside trial: the POST showed it).
    assert "Unlock this unit" not in words(response)
    with pytest.raises(PortfolioError, match=re.escape(refusal)):
        unit_unlock(enrolment=finished, person=carol, reason="K3 cites the wrong account.")
    # Nothing changed: the sign-off stands, nothing is audited as unlocked, nobody is told.
    assert SignOff.objects.get(enrolment=finished).voided_at is None
    assert not AuditEvent.objects.filter(action=AssessmentAction.UNIT_UNLOCKED).exists()
    assert not Notification.objects.exists()
    assert "Signed off" in words(client.get(unit))


def test_with_another_assessor_the_iqa_may_unlock_again(client, centre, grace, bob, carol, erin, finished):
    deactivated(centre, grace, bob)
    enrolment_reassign(enrolment=finished, role="assessor", person=erin, reason="Bob has left.", changed_by=grace)
    client.force_login(carol)
    unit = reverse("assessments:enrolment_detail", args=[finished.pk])
    assert "Unlock…" in words(client.get(unit)) and "It cannot be unlocked now" not in words(client.get(unit))

    response = client.post(reverse("assessments:unlock", args=[finished.pk]), {"reason": "K3 cites the wrong account."},
                           follow=True)

    assert "HSC331 is unlocked; its sign-off is void" in words(response)
    assert SignOff.objects.get(enrolment=finished).voided_at is not None
    assert Enrolment.objects.get(pk=finished.pk).assessor == erin

"""A leaver's units include a deactivated candidate's open unit (outside tester): the hand-over, and
the change of assessor or IQA on one unit, refused it ("Alice Adams is not a candidate at
Riverside"), so the leaver could not be deactivated until the candidate was reactivated. The unit
is the centre's record: it changes hands like any other, the history records it, and the
deactivated candidate, who has no access, is not told.

Bob assesses Alice's and Dave's HSC331 at Riverside, Carol quality-assures them; Erin is another
assessor and Ivan another IQA there; Grace administers Riverside."""

import re

import pytest
from django.urls import reverse

from assessments.models import SignOff
from assessments.services.signoff import unit_unlock
from portfolio.models import DeactivatedMembership, Enrolment, EnrolmentChange, Notification
from portfolio.services_centre import Refused
from portfolio.services_enrolments import enrolment_reassign, enrolment_reinstate, enrolment_withdraw
from portfolio.services_handover import units_hand_over
from portfolio.services_people import membership_deactivate
from portfolio.services_qualifications import identifiers_change
from tests.assessments.quality_records import sign_off
from tests.factories import enrol

pytestmark = pytest.mark.django_db


def words(response) -> str:
    """The page's text as a reader reads it, without its tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode().replace("&#x27;", "'")).split())


@pytest.fixture
def alice_gone(centre, grace, alice, dave, bob, carol, hsc331):
    """Alice is deactivated with her HSC331 open; Dave, still here, has his HSC331 with Bob and Carol."""
    daves = enrol(dave, "HSC331", assessor=bob, iqa=carol, centre=centre)
    membership_deactivate(centre=centre, person=alice, deactivated_by=grace, reason="Left the centre.")
    Notification.objects.all().delete()
    return {"alice": hsc331, "dave": daves}


def handover(centre, person):
    return reverse("portfolio:person_handover", args=[centre.pk, person.pk])


def deactivate(centre, person):
    return reverse("portfolio:person_deactivate", args=[centre.pk, person.pk])


@pytest.mark.parametrize("role, leaver, newcomer", [("assessor", "bob", "erin"), ("iqa", "carol", "ivan")])
def test_a_leavers_handover_moves_a_deactivated_candidates_unit_and_then_they_can_leave(
    client, centre, grace, alice, dave, alice_gone, people, role, leaver, newcomer
):
    leaver, newcomer = people[leaver], people[newcomer]
    client.force_login(grace)
    assert "2 units not yet" in words(client.get(deactivate(centre, leaver)))  # Alice's among them
    page = words(client.get(handover(centre, leaver)))
    assert "Alice Adams (deactivated: not told) · HSC331" in page
    assert "Dave Davies · HSC331" in page

    response = client.post(handover(centre, leaver), {
        "role": role, f"{role}-person": newcomer.pk, f"{role}-reason": "Leaving the centre.",
    }, follow=True)

    word = "assessor" if role == "assessor" else "IQA"
    assert (f"{newcomer} is now the {word} of 2 units in place of {leaver}. Each unit’s history records it, and "
            "everyone concerned has been told except 1 of the 2 candidates, deactivated here and so not told.") in words(response)
    assert "is not a candidate" not in words(response)
    assert {getattr(e, role) for e in Enrolment.objects.all()} == {newcomer}
    change = EnrolmentChange.objects.get(enrolment=alice_gone["alice"], kind=role)
    assert (change.from_person, change.to_person, change.reason) == (leaver, newcomer, "Leaving the centre.")
    assert not Notification.objects.filter(recipient=alice).exists()
    assert Notification.objects.filter(recipient=dave, message__contains=f"made {newcomer} your {word}").exists()
    assert Notification.objects.filter(recipient=newcomer).count() == 2

    response = client.post(deactivate(centre, leaver), {"reason": "Left the centre."}, follow=True)
    assert f"{leaver} is deactivated" in words(response)
    assert DeactivatedMembership.objects.filter(person=leaver, centre=centre).exists()


def test_a_handover_of_deactivated_candidates_units_only_says_they_were_not_told(
    client, centre, grace, alice, dave, bob, erin, alice_gone
):
    membership_deactivate(centre=centre, person=dave, deactivated_by=grace, reason="Left the centre.")
    Notification.objects.all().delete()
    client.force_login(grace)

    response = client.post(handover(centre, bob), {
        "role": "assessor", "assessor-person": erin.pk, "assessor-reason": "Leaving the centre.",
    }, follow=True)

    assert ("Erin Evans is now the assessor of 2 units in place of Bob Baker. Each unit’s history records it, and "
            "everyone concerned has been told except the 2 candidates, deactivated here and so not told.") in words(response)
    assert not Notification.objects.filter(recipient__in=[alice, dave]).exists()


@pytest.mark.parametrize("role, newcomer", [("assessor", "erin"), ("iqa", "ivan")])
def test_the_assessor_or_iqa_of_a_deactivated_candidates_unit_is_changed_on_its_own_page(
    client, centre, grace, alice, bob, carol, alice_gone, people, role, newcomer
):
    newcomer, unit = people[newcomer], alice_gone["alice"]
    page = reverse(f"portfolio:enrolment_{role}", args=[unit.pk])
    client.force_login(grace)
    before = bob if role == "assessor" else carol
    word = "assessor" if role == "assessor" else "IQA"
    # Alice is left out of who is told, and the page says why (an outside trial: she was dropped unexplained).
    assert (f"{before} is the {word} now. Whoever you choose is told, and so is {before} "
            "(Alice Adams is deactivated here, so is not told);") in words(client.get(page))

    response = client.post(page, {"person": newcomer.pk, "reason": "A lighter caseload."}, follow=True)

    assert (f"{newcomer} is now the {word} of Alice Adams’s HSC331, in place of {before}. "
            f"{newcomer} and {before} have been told.") in words(response)
    assert getattr(Enrolment.objects.get(pk=unit.pk), role) == newcomer
    assert EnrolmentChange.objects.filter(enrolment=unit, kind=role, to_person=newcomer).exists()
    assert not Notification.objects.filter(recipient=alice).exists()
    assert Notification.objects.filter(recipient=newcomer).exists()


def test_every_other_refusal_still_stands_on_a_deactivated_candidates_unit(centre, grace, alice, bob, carol, dave,
                                                                          alice_gone):
    unit = alice_gone["alice"]
    with pytest.raises(Refused, match="Dave Davies is not an assessor at Riverside Training"):
        enrolment_reassign(enrolment=unit, role="assessor", person=dave, reason="x", changed_by=grace)
    with pytest.raises(Refused, match="Carol Clark is this unit's IQA"):
        enrolment_reassign(enrolment=unit, role="assessor", person=carol, reason="x", changed_by=grace)
    assert not EnrolmentChange.objects.exists()


def test_what_a_deactivated_candidate_may_not_have_done_says_they_are_deactivated(centre, grace, alice, hsc331):
    """Their identifiers, and a withdrawn unit taken up again, wait for them to be reactivated."""
    enrolment_withdraw(enrolment=hsc331, effective_date=hsc331.start_date, reason="Left.", changed_by=grace)
    membership_deactivate(centre=centre, person=alice, deactivated_by=grace, reason="Left the centre.")
    with pytest.raises(Refused, match=r"^Alice Adams is deactivated at Riverside Training\.$"):
        identifiers_change(centre=centre, changed_by=grace, candidate=alice, uln="", scn="", registration_numbers={})
    with pytest.raises(Refused, match=r"^Alice Adams is deactivated at Riverside Training\.$"):
        enrolment_reinstate(enrolment=hsc331, reason="Back.", changed_by=grace)


def test_an_assessor_who_left_with_a_signed_off_unit_does_not_stop_its_iqa_leaving_or_its_unlock(
    centre, grace, alice, bob, carol, erin, ivan, hsc331
):
    """Bob's signed-off unit stays with him when he leaves; its IQA's hand-over, and a new assessor
    for it (so that it can be unlocked), ask only the newcomer to be here."""
    sign_off(hsc331)
    membership_deactivate(centre=centre, person=bob, deactivated_by=grace, reason="Left the centre.")

    units_hand_over(centre=centre, role="iqa", from_person=carol, to_person=ivan, reason="Left.", changed_by=grace)
    enrolment_reassign(enrolment=hsc331, role="assessor", person=erin, reason="Bob left.", changed_by=grace)

    assert (Enrolment.objects.get(pk=hsc331.pk).assessor, Enrolment.objects.get(pk=hsc331.pk).iqa) == (erin, ivan)
    unit_unlock(enrolment=Enrolment.objects.get(pk=hsc331.pk), person=ivan, reason="K3 cites the wrong account.")
    assert SignOff.objects.get(enrolment=hsc331).voided_at is not None
